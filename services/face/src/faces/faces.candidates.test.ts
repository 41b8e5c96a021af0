import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../test/fixtures.js";
import { b64, degradedCopy, faceCrop, noFaceImage, webpCopy } from "../../test/images.js";

const P = "/face_api/v1";

/**
 * "Nearest among these users" on real photos. Duplicate detection at enrolment is switched off in this file
 * (FACE_DUPLICATE_THRESHOLD tiny) so that a look-alike can be enrolled: a second user whose photo is another
 * shot of the same face, the hardest possible look-alike.
 */
describe("POST /search/candidates (manifest-scoped 1:few)", () => {
  let ctx: TestContext;
  const post = (path: string, body: object) =>
    request(ctx.app).post(`${P}${path}`).set("Authorization", ctx.serviceAuth).send(body);
  let aliceFrame: Buffer;
  let danaFrame: Buffer;

  beforeAll(async () => {
    ctx = await createTestContext({ FACE_DUPLICATE_THRESHOLD: "0.000001" });
    const [alice, bella, dana] = await Promise.all([faceCrop("alice"), faceCrop("bella"), faceCrop("dana")]);
    await post("/face", { image: b64(alice), user_id: "user-alice" }).expect(200);
    await post("/face", { image: b64(bella), user_id: "user-bella" }).expect(200);
    await post("/face", { image: b64(dana), user_id: "user-dana" }).expect(200);
    // The look-alike: enrolled from another copy of Alice's face.
    await post("/face", { image: b64(await webpCopy(alice)), user_id: "user-alice-twin" }).expect(200);
    aliceFrame = await degradedCopy(alice, 0.5, 40);
    danaFrame = await degradedCopy(dana, 0.5, 40);
  });
  afterAll(async () => ctx?.close());

  it("identifies a passenger on the manifest from a low-quality frame", async () => {
    const res = await post("/search/candidates", {
      image: b64(aliceFrame),
      user_ids: ["user-alice", "user-bella", "user-nobody"],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      match: true,
      user_id: "user-alice",
      reason: "matched",
      detail: "Matched",
      threshold: ctx.config.FACE_MATCH_THRESHOLD,
      margin: ctx.config.FACE_MATCH_MARGIN,
      enrolled_candidates: 2,
    });
    expect(res.body.distance).toBeLessThanOrEqual(ctx.config.FACE_MATCH_THRESHOLD);
    expect(res.body.next_distance - res.body.distance).toBeGreaterThanOrEqual(ctx.config.FACE_MATCH_MARGIN);
  });

  it("never accepts a stranger who is enrolled but not on the manifest", async () => {
    // Dana is enrolled and recognisable from this frame...
    const herself = await post("/verify", { image: b64(danaFrame), user_id: "user-dana" });
    expect(herself.status).toBe(200);
    expect(herself.body.match).toBe(true);
    // ...but she holds no ticket on this run, so the manifest check refuses her.
    const res = await post("/search/candidates", {
      image: b64(danaFrame),
      user_ids: ["user-alice", "user-bella"],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ match: false, user_id: null, reason: "beyond_threshold" });
    expect(res.body.detail).toBe("No candidate is close enough");
  });

  it("refuses, rather than confuses, a look-alike on the same manifest", async () => {
    const res = await post("/search/candidates", {
      image: b64(aliceFrame),
      user_ids: ["user-alice", "user-alice-twin", "user-bella"],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ match: false, user_id: null, reason: "ambiguous" });
    expect(res.body.next_distance - res.body.distance).toBeLessThan(ctx.config.FACE_MATCH_MARGIN);
    // The global search refuses the same ambiguity with the reference's detail.
    const global = await post("/search", { image: b64(aliceFrame) });
    expect(global.status).toBe(400);
    expect(global.body).toEqual({ detail: "Not found" });
  });

  it("answers no_enrolled_candidates when none of the users has a face", async () => {
    const res = await post("/search/candidates", { image: b64(aliceFrame), user_ids: ["user-x", "user-y"] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      match: false,
      reason: "no_enrolled_candidates",
      distance: null,
      enrolled_candidates: 0,
    });
  });

  it("answers 400 `No faces` for an image without a face", async () => {
    const res = await post("/search/candidates", {
      image: b64(await noFaceImage()),
      user_ids: ["user-alice"],
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail: "No faces" });
  });

  it("takes a descriptor instead of an image", async () => {
    // A descriptor far from everybody (the opposite direction of nothing in particular) matches nobody.
    const embedding = Array.from({ length: 128 }, (_, i) => (i % 2 ? 1 : -1));
    const res = await post("/search/candidates", { embedding, user_ids: ["user-alice", "user-bella"] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ match: false, reason: "beyond_threshold", enrolled_candidates: 2 });
  });

  it("validates the body: exactly one of image or embedding, a non-empty user list (422)", async () => {
    for (const body of [
      { user_ids: ["user-alice"] },
      { image: b64(aliceFrame), embedding: Array(128).fill(1), user_ids: ["user-alice"] },
      { image: b64(aliceFrame), user_ids: [] },
      { image: b64(aliceFrame) },
    ]) {
      const res = await post("/search/candidates", body);
      expect(res.status).toBe(422);
    }
  });

  it("requires the service token (401)", async () => {
    const res = await request(ctx.app)
      .post(`${P}/search/candidates`)
      .send({ image: b64(aliceFrame), user_ids: ["user-alice"] });
    expect(res.status).toBe(401);
  });
});
