import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../test/fixtures.js";
import type { InferencePool } from "../inference/inference.pool.js";
import { DESCRIPTOR_LENGTH } from "./faces.schemas.js";
import { FaceRepository } from "./faces.repository.js";
import { FaceService } from "./faces.service.js";

/** A unit descriptor at `degrees` in the plane of the first two axes: cosine distance = 1 - cos(angle between). */
const at = (degrees: number) => {
  const v = new Array<number>(DESCRIPTOR_LENGTH).fill(0);
  v[0] = Math.cos((degrees * Math.PI) / 180);
  v[1] = Math.sin((degrees * Math.PI) / 180);
  return v;
};

/**
 * Real Postgres and Chroma; only the neural nets are replaced by a pool that "detects" one large face with a
 * chosen descriptor, so the geometry of the enrolled vectors is exact.
 */
describe("enrolment de-duplication against other users' examples", () => {
  let ctx: TestContext;
  let faces: FaceService;
  let next: number[];
  let image: Buffer;

  beforeAll(async () => {
    ctx = await createTestContext({ FACE_INFERENCE_ENABLED: "false" });
    const fakePool = {
      ready: true,
      analyze: async () => [
        { box: { x: 10, y: 10, width: 150, height: 150 }, score: 0.99, landmarks: [], descriptor: next },
      ],
    } as unknown as InferencePool;
    faces = new FaceService(
      new FaceRepository(ctx.db),
      ctx.vectors,
      fakePool,
      {
        matchThreshold: 0.04,
        matchMargin: 0,
        duplicateThreshold: 0.04,
        detector: "ssd",
        minEnrolSizePx: 80,
        maxInferenceSide: 1920,
        maxImageBytes: 1_000_000,
        maxExamplesPerUser: 10,
        repairGraceSeconds: 300,
      },
      ctx.logger,
    );
    // Textured, so the enrolment quality checks (brightness, contrast, sharpness) pass.
    image = await sharp({
      create: {
        width: 200,
        height: 200,
        channels: 3,
        background: "grey",
        noise: { type: "gaussian", mean: 128, sigma: 50 },
      },
    })
      .png()
      .toBuffer();
  });
  afterAll(async () => ctx?.close());

  const enrol = (userId: string, descriptor: number[]) => {
    next = descriptor;
    return faces.enrol(userId, image);
  };

  it("refuses (409) a face within the threshold of another user even when the user's own example is nearer", async () => {
    await enrol("user-a", at(0));
    // 1 - cos(18.2°) = 0.05: outside the threshold of user-a, so user-b may enrol it.
    await enrol("user-b", at(18.2));
    // The collection measures cosine distance (squared L2, Chroma's default, would give twice as much).
    const [nearest] = await ctx.vectors.nearest(at(2), 1);
    expect(nearest!.distance).toBeCloseTo(1 - Math.cos((2 * Math.PI) / 180), 5);
    // At 12°: 0.006 from user-b's example (the nearest) but 0.022 from user-a's, a match for user-a too.
    await expect(enrol("user-b", at(12))).rejects.toMatchObject({
      status: 409,
      message: "User already exists",
    });
    expect(await new FaceRepository(ctx.db).countActive("user-b")).toBe(1);
    // A face close only to user-b's own example is a further example of user-b.
    await enrol("user-b", at(22));
    expect(await new FaceRepository(ctx.db).countActive("user-b")).toBe(2);
  });
});
