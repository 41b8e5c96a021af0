import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../test/fixtures.js";
import type { InferencePool } from "../inference/inference.pool.js";
import { DESCRIPTOR_LENGTH } from "./faces.schemas.js";
import { FaceRepository } from "./faces.repository.js";
import { FaceService } from "./faces.service.js";

/**
 * Enrolment refuses unusable faces with a clear detail and stores nothing. Real Postgres and Chroma; the neural
 * nets are replaced by a pool that "detects" one large face, so the picture inside the box is exactly the test's.
 */
describe("enrolment quality checks", () => {
  let ctx: TestContext;
  let faces: FaceService;
  const descriptor = new Array<number>(DESCRIPTOR_LENGTH).fill(0).map((_, i) => (i === 0 ? 1 : 0));
  const picture = (background: string) =>
    sharp({ create: { width: 200, height: 200, channels: 3, background } })
      .png()
      .toBuffer();

  beforeAll(async () => {
    ctx = await createTestContext({ FACE_INFERENCE_ENABLED: "false" });
    const fakePool = {
      ready: true,
      analyze: async () => [
        { box: { x: 10, y: 10, width: 150, height: 150 }, score: 0.99, landmarks: [], descriptor },
      ],
    } as unknown as InferencePool;
    faces = new FaceService(
      new FaceRepository(ctx.db),
      ctx.vectors,
      fakePool,
      {
        matchThreshold: 0.05,
        matchMargin: 0.01,
        duplicateThreshold: 0.04,
        detector: "tiny",
        minEnrolSizePx: 80,
        maxInferenceSide: 1920,
        maxImageBytes: 1_000_000,
        maxExamplesPerUser: 10,
        repairGraceSeconds: 300,
      },
      ctx.logger,
    );
  });
  afterAll(async () => ctx?.close());

  it("refuses a dark, an overexposed and a flat face with a clear detail, storing nothing", async () => {
    const cases: [Buffer, string][] = [
      [await picture("#0a0a0a"), "Face too dark"],
      [await picture("#f8f8f8"), "Face overexposed"],
      [await picture("#808080"), "Face too flat (badly lit)"],
    ];
    for (const [image, detail] of cases)
      await expect(faces.enrol("user-q", image)).rejects.toMatchObject({ status: 400, detail });
    expect(await faces.hasFaces("user-q")).toBe(false);
    expect(await ctx.db.faceExample.count()).toBe(0);
  });

  it("refuses a blurred face and accepts a sharp one", async () => {
    // Vertical stripes 20 px wide: strong contrast either way, crisp edges only before blurring.
    const stripes = Buffer.alloc(200 * 200 * 3);
    for (let i = 0; i < 200 * 200; i++)
      stripes.fill(Math.floor((i % 200) / 20) % 2 ? 220 : 40, i * 3, i * 3 + 3);
    const sharpFace = await sharp(stripes, { raw: { width: 200, height: 200, channels: 3 } })
      .png()
      .toBuffer();
    const blurred = await sharp(sharpFace).blur(6).png().toBuffer();
    await expect(faces.enrol("user-q", blurred)).rejects.toMatchObject({
      status: 400,
      detail: "Face too blurred",
    });
    await expect(faces.enrol("user-q", sharpFace)).resolves.toMatchObject({ faceId: expect.any(String) });
    expect(await faces.hasFaces("user-q")).toBe(true);
  });
});
