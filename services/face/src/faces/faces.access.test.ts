import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Privilege } from "@rail/common";
import { createTestContext, type TestContext } from "../../test/fixtures.js";
import { b64, faceCrop, solidImage } from "../../test/images.js";

const P = "/face_api/v1";

describe("face API access control and input validation", () => {
  let ctx: TestContext;
  let face: Buffer;
  const post = (path: string, body: unknown) =>
    request(ctx.app)
      .post(`${P}${path}`)
      .set("Authorization", ctx.serviceAuth)
      .send(body as object);

  beforeAll(async () => {
    ctx = await createTestContext();
    face = await faceCrop("dana");
  });
  afterAll(async () => ctx?.close());

  it("rejects requests without a token, with a wrong token or a robot/store token (401)", async () => {
    const robot = await ctx.sessions.create("robot", "robot-1");
    const store = await ctx.sessions.create("store", "store-1");
    for (const auth of [undefined, "Bearer nope", `Bearer ${robot}`, `Bearer ${store}`, "Bearer"]) {
      const req = request(ctx.app).get(`${P}/faces`);
      const res = await (auth ? req.set("Authorization", auth) : req);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ detail: "Invalid credentials" });
    }
  });

  it("rejects an engineer without the ADMIN bit (403) and accepts one with it", async () => {
    const robotAdmin = await ctx.sessions.create("engineer", "eng-1", {
      privileges: Privilege.ROBOT_ADMIN | Privilege.ROBOT_LOGIN,
    });
    const denied = await request(ctx.app).get(`${P}/faces`).set("Authorization", `Bearer ${robotAdmin}`);
    expect(denied.status).toBe(403);
    const admin = await ctx.sessions.create("engineer", "eng-2", { privileges: Privilege.ADMIN });
    const allowed = await request(ctx.app).get(`${P}/faces`).set("Authorization", `Bearer ${admin}`);
    expect(allowed.status).toBe(200);
    expect(allowed.body).toEqual([]);
  });

  it("checks auth before validating the body (401, not 422)", async () => {
    const res = await request(ctx.app).post(`${P}/face`).send({ nonsense: true });
    expect(res.status).toBe(401);
  });

  it("gives pydantic-shaped 422s for missing fields and invalid user ids", async () => {
    const missing = await post("/face", { image: b64(face) });
    expect(missing.status).toBe(422);
    expect(missing.body.detail).toEqual([
      expect.objectContaining({ type: "missing", loc: ["body", "user_id"], msg: "Field required" }),
    ]);
    const badId = await post("/face", { image: b64(face), user_id: "../../etc" });
    expect(badId.status).toBe(422);
    expect(badId.body.detail[0].loc).toEqual(["body", "user_id"]);
  });

  it("answers 422 (never 500) to invalid base64 and to bytes that are not an image", async () => {
    const notBase64 = await post("/search", { image: "this is not base64!!" });
    expect(notBase64.status).toBe(422);
    expect(notBase64.body.detail[0]).toMatchObject({
      loc: ["body", "image"],
      msg: "Value is not valid base64",
    });
    const garbage = await post("/face", {
      image: Buffer.from("definitely not a jpeg, just some text bytes").toString("base64"),
      user_id: "u1",
    });
    expect(garbage.status).toBe(422);
    expect(garbage.body.detail[0].loc).toEqual(["body", "image"]);
    const jpegHeaderOnly = await post("/search", {
      image: b64((await solidImage(300, 300, "jpeg")).subarray(0, 200)),
    });
    expect(jpegHeaderOnly.status).toBe(422);
  });

  it("accepts a data: URL prefix on base64 images", async () => {
    const res = await post("/detect", { image: `data:image/png;base64,${b64(face)}` });
    expect(res.status).toBe(200);
    expect(res.body.faces).toHaveLength(1);
  });

  it("answers 400 `Image too small` / `Image too big` at the reference's side limits", async () => {
    const small = await post("/search", { image: b64(await solidImage(99, 400)) });
    expect(small.status).toBe(400);
    expect(small.body).toEqual({ detail: "Image too small" });
    const big = await post("/face", { image: b64(await solidImage(10_001, 120)), user_id: "u1" });
    expect(big.status).toBe(400);
    expect(big.body).toEqual({ detail: "Image too big" });
  });

  it("refuses to enrol a face below the minimum face size (400 `Face too small`)", async () => {
    const sharp = (await import("sharp")).default;
    // The whole crop shrunk to 130 px wide: the face inside is ~50 px, below FACE_MIN_ENROL_SIZE_PX.
    const tiny = await sharp(face).resize({ width: 130 }).png().toBuffer();
    const res = await post("/face", { image: b64(tiny), user_id: "u-tiny" });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail: "Face too small" });
  });

  it("rejects an oversized upload with 413 and a JSON body over the limit with 413", async () => {
    const huge = Buffer.alloc(ctx.config.FACE_MAX_IMAGE_BYTES + 1, 1);
    const upload = await request(ctx.app)
      .post(`${P}/detect/upload`)
      .set("Authorization", ctx.serviceAuth)
      .attach("image", huge, "big.jpg");
    expect(upload.status).toBe(413);
    expect(upload.body).toEqual({ detail: "Image file too large" });
    const tooLongBase64 = await post("/search", { image: "A".repeat(10_485_761) });
    expect(tooLongBase64.status).toBe(422);
  });

  it("validates face ids on DELETE /faces/{face_id}", async () => {
    const res = await request(ctx.app).delete(`${P}/faces/not-a-uuid`).set("Authorization", ctx.serviceAuth);
    expect(res.status).toBe(422);
    const unknown = await request(ctx.app)
      .delete(`${P}/faces/3f0e8a43-3f0e-4a43-9f0e-3f0e8a433f0e`)
      .set("Authorization", ctx.serviceAuth);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ detail: "Face not found" });
  });
});
