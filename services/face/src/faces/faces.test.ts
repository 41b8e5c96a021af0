import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../test/fixtures.js";
import {
  b64,
  degradedCopy,
  faceCrop,
  noFaceImage,
  samplePhoto,
  sceneWithTwoFaces,
  webpCopy,
} from "../../test/images.js";

const P = "/face_api/v1";

describe("face enrolment, search and verification on real photos", () => {
  let ctx: TestContext;
  const post = (path: string, body: object) =>
    request(ctx.app).post(`${P}${path}`).set("Authorization", ctx.serviceAuth).send(body);
  const get = (path: string) => request(ctx.app).get(`${P}${path}`).set("Authorization", ctx.serviceAuth);
  const del = (path: string) => request(ctx.app).delete(`${P}${path}`).set("Authorization", ctx.serviceAuth);
  let alice: Buffer;
  let bella: Buffer;
  let carol: Buffer;

  beforeAll(async () => {
    ctx = await createTestContext();
    [alice, bella, carol] = await Promise.all([faceCrop("alice"), faceCrop("bella"), faceCrop("carol")]);
  });
  afterAll(async () => ctx?.close());

  it("answers 404 `User not found` to a search while nobody is enrolled", async () => {
    const res = await post("/search", { image: b64(alice) });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: "User not found" });
  });

  it("enrols a face from one crop and finds it from a downscaled, recompressed JPEG copy", async () => {
    const enrol = await post("/face", { image: b64(alice), user_id: "user-alice" });
    expect(enrol.status).toBe(200);
    expect(enrol.body).toMatchObject({ status: "OK", face_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });

    const res = await post("/search", { image: b64(await degradedCopy(alice, 0.5, 40)) });
    expect(res.status).toBe(200);
    expect(res.body.user_id).toBe("user-alice");
    expect(res.body.distance).toBeLessThanOrEqual(ctx.config.FACE_MATCH_THRESHOLD);
    expect(res.body.similarity).toBeGreaterThanOrEqual(0.5);
    expect(res.body.similarity).toBeLessThanOrEqual(1);
  });

  it("finds the enrolled face from an upscaled WebP copy", async () => {
    const res = await post("/search", { image: b64(await webpCopy(alice)) });
    expect(res.status).toBe(200);
    expect(res.body.user_id).toBe("user-alice");
  });

  it("does not match a different person (400 `Not found`)", async () => {
    const res = await post("/search", { image: b64(bella) });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail: "Not found" });
  });

  it("searches with the largest face in the frame, not a smaller bystander", async () => {
    await post("/face", { image: b64(carol), user_id: "user-carol" }).expect(200);
    // Alice big in front, Carol small in the background, and the other way round.
    const aliceFront = await post("/search", { image: b64(await sceneWithTwoFaces("alice", "carol")) });
    expect(aliceFront.status).toBe(200);
    expect(aliceFront.body.user_id).toBe("user-alice");
    const carolFront = await post("/search", { image: b64(await sceneWithTwoFaces("carol", "alice")) });
    expect(carolFront.status).toBe(200);
    expect(carolFront.body.user_id).toBe("user-carol");
  });

  it("refuses to enrol an image without a face (400 `No faces`) or with several faces (400 `Too many faces`)", async () => {
    const none = await post("/face", { image: b64(await noFaceImage()), user_id: "user-x" });
    expect(none.status).toBe(400);
    expect(none.body).toEqual({ detail: "No faces" });
    const many = await post("/face", { image: b64(samplePhoto(1)), user_id: "user-x" });
    expect(many.status).toBe(400);
    expect(many.body).toEqual({ detail: "Too many faces" });
    const check = await get("/check/user-x");
    expect(check.body).toEqual({ status: false });
  });

  it("answers 400 `No faces` to a search without a face", async () => {
    const res = await post("/search", { image: b64(await noFaceImage()) });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail: "No faces" });
  });

  it("refuses to enrol a face already enrolled for a different user (409) but adds examples for the same user", async () => {
    const other = await post("/face", { image: b64(await degradedCopy(alice)), user_id: "user-mallory" });
    expect(other.status).toBe(409);
    expect(other.body).toEqual({ detail: "User already exists" });
    const same = await post("/face", { image: b64(await webpCopy(alice)), user_id: "user-alice" });
    expect(same.status).toBe(200);
    const examples = await get("/faces/user-alice");
    expect(examples.status).toBe(200);
    expect(examples.body.user_id).toBe("user-alice");
    expect(examples.body.items).toHaveLength(2);
    for (const item of examples.body.items) {
      expect(item).toMatchObject({
        user_id: "user-alice",
        detector_score: expect.any(Number),
        created_at: expect.any(String),
      });
      expect(item.box.width).toBeGreaterThan(50);
    }
  });

  it("lists enrolled users and checks one (reference GET /faces and GET /check)", async () => {
    const list = await get("/faces");
    expect(list.status).toBe(200);
    expect(list.body).toEqual([{ user_id: "user-alice" }, { user_id: "user-carol" }]);
    expect((await get("/check/user-alice")).body).toEqual({ status: true });
    expect((await get("/check/nobody")).body).toEqual({ status: false });
  });

  it("verifies 1:1: the same person matches, a different person does not", async () => {
    const same = await post("/verify", {
      user_id: "user-alice",
      image: b64(await degradedCopy(alice, 0.7, 50)),
    });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({
      user_id: "user-alice",
      match: true,
      threshold: ctx.config.FACE_MATCH_THRESHOLD,
    });
    expect(same.body.similarity).toBeGreaterThanOrEqual(0.5);
    const other = await post("/verify", { user_id: "user-alice", image: b64(bella) });
    expect(other.status).toBe(200);
    expect(other.body.match).toBe(false);
    expect(other.body.distance).toBeGreaterThan(ctx.config.FACE_MATCH_THRESHOLD);
    expect(other.body.similarity).toBeLessThan(0.5);
    const unknown = await post("/verify", { user_id: "nobody", image: b64(alice) });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ detail: "User not found" });
  });

  it("detects every face in a group photo with boxes, scores and 68 landmarks, largest first", async () => {
    const res = await post("/detect", { image: b64(samplePhoto(1)) });
    expect(res.status).toBe(200);
    expect(res.body.width).toBe(1920);
    expect(res.body.faces).toHaveLength(3);
    const areas = res.body.faces.map(
      (f: { box: { width: number; height: number } }) => f.box.width * f.box.height,
    );
    expect(areas).toEqual([...areas].sort((a, b) => b - a));
    for (const face of res.body.faces) {
      expect(face.score).toBeGreaterThan(0.5);
      expect(face.landmarks).toHaveLength(68);
      // Landmarks lie around the box, in original-image pixels.
      const nose = face.landmarks[30];
      expect(nose.x).toBeGreaterThan(face.box.x);
      expect(nose.x).toBeLessThan(face.box.x + face.box.width);
    }
  });

  it("reports boxes in original pixels when the photo is shrunk for inference", async () => {
    const big = await post("/detect", { image: b64(samplePhoto(1)) });
    const small = await request(ctx.app)
      .post(`${P}/detect`)
      .set("Authorization", ctx.serviceAuth)
      .send({ image: b64(await degradedCopy(samplePhoto(1), 0.5, 90)) });
    expect(small.body.width).toBe(960);
    const bigBox = big.body.faces[0].box;
    const smallBox = small.body.faces[0].box;
    expect(Math.abs(bigBox.x / 2 - smallBox.x)).toBeLessThan(15);
    expect(Math.abs(bigBox.width / 2 - smallBox.width)).toBeLessThan(15);
  });

  it("searches and verifies with descriptors computed elsewhere (embedding-in variants)", async () => {
    const descriptor = (await ctx.inference.analyze(await decode(await degradedCopy(alice)), "largest"))[0]!
      .descriptor!;
    // Robots may send an unnormalised vector: scale it.
    const scaled = descriptor.map((v) => v * 3.7);
    const search = await post("/search/embedding", { embedding: scaled });
    expect(search.status).toBe(200);
    expect(search.body.user_id).toBe("user-alice");
    const verify = await post("/verify/embedding", { user_id: "user-carol", embedding: scaled });
    expect(verify.status).toBe(200);
    expect(verify.body.match).toBe(false);
    const short = await post("/search/embedding", { embedding: [1, 2, 3] });
    expect(short.status).toBe(422);
    expect(short.body.detail[0].loc).toEqual(["body", "embedding"]);
    const zeros = await post("/search/embedding", { embedding: new Array(128).fill(0) });
    expect(zeros.status).toBe(422);
  });

  it("treats a descriptor scaled to extreme magnitudes as the same descriptor (no 503, no null distance)", async () => {
    const descriptor = (await ctx.inference.analyze(await decode(await degradedCopy(alice)), "largest"))[0]!
      .descriptor!;
    for (const factor of [1e-200, 1e200, 1e-170]) {
      const embedding = descriptor.map((v) => v * factor);
      const search = await post("/search/embedding", { embedding });
      expect(search.status, `search x${factor}`).toBe(200);
      expect(search.body.user_id).toBe("user-alice");
      expect(search.body.distance).toBeLessThanOrEqual(ctx.config.FACE_MATCH_THRESHOLD);
      const verify = await post("/verify/embedding", { user_id: "user-alice", embedding });
      expect(verify.status, `verify x${factor}`).toBe(200);
      expect(verify.body.match).toBe(true);
      expect(typeof verify.body.distance).toBe("number");
      expect(verify.body.similarity).toBeGreaterThanOrEqual(0.5);
      expect(verify.body.similarity).toBeLessThanOrEqual(1);
    }
  });

  it("accepts multipart uploads", async () => {
    const res = await request(ctx.app)
      .post(`${P}/search/upload`)
      .set("Authorization", ctx.serviceAuth)
      .attach("image", await degradedCopy(alice), { filename: "alice.jpg", contentType: "image/jpeg" });
    expect(res.status).toBe(200);
    expect(res.body.user_id).toBe("user-alice");
    const erin = await faceCrop("erin");
    const enrol = await request(ctx.app)
      .post(`${P}/face/upload`)
      .set("Authorization", ctx.serviceAuth)
      .field("user_id", "user-erin")
      .attach("image", erin, { filename: "erin.png", contentType: "image/png" });
    expect(enrol.status).toBe(200);
    expect(enrol.body.status).toBe("OK");
    const verify = await request(ctx.app)
      .post(`${P}/verify/upload`)
      .set("Authorization", ctx.serviceAuth)
      .field("user_id", "user-erin")
      .attach("image", await degradedCopy(erin), "erin.jpg");
    expect(verify.status).toBe(200);
    expect(verify.body.match).toBe(true);
    const detect = await request(ctx.app)
      .post(`${P}/detect/upload`)
      .set("Authorization", ctx.serviceAuth)
      .attach("image", samplePhoto(2), "group.jpg");
    expect(detect.status).toBe(200);
    expect(detect.body.faces).toHaveLength(3);
    const json = await request(ctx.app)
      .post(`${P}/detect/upload`)
      .set("Authorization", ctx.serviceAuth)
      .send({ image: "x" });
    expect(json.status).toBe(415);
    const missing = await request(ctx.app)
      .post(`${P}/search/upload`)
      .set("Authorization", ctx.serviceAuth)
      .field("x", "y");
    expect(missing.status).toBe(422);
    expect(missing.body.detail[0].loc).toEqual(["form", "image"]);
  });

  it("deleting one example keeps the user's other examples; deleting the user stops search finding them", async () => {
    const examples = (await get("/faces/user-alice")).body.items as { id: string }[];
    const one = await del(`/faces/${examples[0]!.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ status: "OK" });
    expect((await get("/faces/user-alice")).body.items).toHaveLength(1);
    expect((await del(`/faces/${examples[0]!.id}`)).status).toBe(404);
    expect((await post("/search", { image: b64(alice) })).body.user_id).toBe("user-alice");

    const gone = await del("/face/user-alice");
    expect(gone.status).toBe(200);
    expect(gone.body).toEqual({ status: "OK" });
    const search = await post("/search", { image: b64(alice) });
    expect(search.status).toBe(400);
    expect(search.body).toEqual({ detail: "Not found" });
    expect((await get("/check/user-alice")).body).toEqual({ status: false });
    // Idempotent, and the face can be enrolled again (for anyone) once deleted.
    expect((await del("/face/user-alice")).status).toBe(200);
    expect((await post("/face", { image: b64(alice), user_id: "user-alice-2" })).status).toBe(200);
  });
});

async function decode(image: Buffer) {
  const { default: sharp } = await import("sharp");
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { pixels: new Uint8Array(data), width: info.width, height: info.height };
}
