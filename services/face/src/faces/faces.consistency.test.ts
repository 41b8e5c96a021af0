import { randomUUID } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../test/fixtures.js";
import { b64, degradedCopy, faceCrop, webpCopy, type Person } from "../../test/images.js";
import { createFaceService } from "../app.js";
import { FaceVectorStore } from "../vectors/face-vectors.js";
import { FaceRepository } from "./faces.repository.js";

const P = "/face_api/v1";

describe("face store consistency and concurrency (Postgres + Chroma, two inference workers)", () => {
  let ctx: TestContext;
  let repo: FaceRepository;
  const crops = {} as Record<Person, Buffer>;
  const post = (path: string, body: object) =>
    request(ctx.app).post(`${P}${path}`).set("Authorization", ctx.serviceAuth).send(body);
  const descriptorOf = async (image: Buffer) => {
    const sharp = (await import("sharp")).default;
    const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const faces = await ctx.inference.analyze(
      { pixels: new Uint8Array(data), width: info.width, height: info.height },
      "largest",
    );
    return faces[0]!.descriptor!;
  };

  beforeAll(async () => {
    ctx = await createTestContext({ FACE_WORKERS: "2" });
    repo = new FaceRepository(ctx.db);
    for (const person of ["alice", "bella", "carol", "dana", "erin", "fiona"] as const)
      crops[person] = await faceCrop(person);
  });
  afterAll(async () => ctx?.close());

  it("serves concurrent searches correctly", async () => {
    const people = ["alice", "bella", "carol"] as const;
    for (const person of people)
      await post("/face", { image: b64(crops[person]), user_id: `user-${person}` }).expect(200);
    const queries = await Promise.all(
      people.flatMap((p) => [degradedCopy(crops[p]), webpCopy(crops[p])]).map(async (img) => b64(await img)),
    );
    const expected = people.flatMap((p) => [`user-${p}`, `user-${p}`]);
    // Twelve requests at once through two workers: each answer must belong to its own request.
    const results = await Promise.all([...queries, ...queries].map((image) => post("/search", { image })));
    expect(results.map((r) => r.status)).toEqual(new Array(12).fill(200));
    expect(results.map((r) => r.body.user_id)).toEqual([...expected, ...expected]);
    // 15 inferences through two workers: allow for a machine shared with other builds.
  }, 90_000);

  it("keeps the event loop free while inference runs: health answers before a pending search", async () => {
    const order: string[] = [];
    const search = post("/search", { image: b64(crops.alice) }).then(() => order.push("search"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await request(ctx.app)
      .get(`${P}/health`)
      .then(() => order.push("health"));
    await search;
    expect(order).toEqual(["health", "search"]);
  });

  it("lets only one of two concurrent enrolments of the same face for different users win", async () => {
    const image = b64(crops.dana);
    const [first, second] = await Promise.all([
      post("/face", { image, user_id: "user-dana-1" }),
      post("/face", { image, user_id: "user-dana-2" }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const winner = first.status === 200 ? "user-dana-1" : "user-dana-2";
    const loser = first.status === 200 ? "user-dana-2" : "user-dana-1";
    expect((await post("/search", { image: b64(await degradedCopy(crops.dana)) })).body.user_id).toBe(winner);
    expect(
      (await request(ctx.app).get(`${P}/check/${loser}`).set("Authorization", ctx.serviceAuth)).body,
    ).toEqual({ status: false });
    // The loser left nothing behind: no row in any state.
    expect(await ctx.db.faceExample.count({ where: { userId: loser } })).toBe(0);
  });

  it("never trusts a record whose enrolment crashed before activation, and repair removes it", async () => {
    // Simulate a crash after the Chroma write: pending row + vector, never activated.
    const id = randomUUID();
    await repo.insertPending({
      id,
      userId: "user-erin-crashed",
      detectorScore: 0.99,
      box: { x: 1, y: 1, width: 100, height: 100 },
    });
    await ctx.vectors.upsert(id, "user-erin-crashed", await descriptorOf(crops.erin));

    const search = await post("/search", { image: b64(crops.erin) });
    expect(search.status).toBe(400);
    expect(search.body).toEqual({ detail: "Not found" });
    // The orphan does not block enrolling that face for someone else.
    await post("/face", { image: b64(crops.erin), user_id: "user-erin" }).expect(200);
    expect((await post("/search", { image: b64(crops.erin) })).body.user_id).toBe("user-erin");

    // Within the grace period repair leaves it alone (an enrolment may still be running) ...
    expect(await ctx.faces.repair()).toBe(0);
    // ... once it is old, the vector and the row go.
    await repo.setUpdatedAt(id, new Date(Date.now() - 3_600_000));
    expect(await ctx.faces.repair()).toBe(1);
    expect(await ctx.db.faceExample.findUnique({ where: { id } })).toBeNull();
    expect((await ctx.vectors.embeddings([id])).size).toBe(0);
  });

  it("stops identifying a user as soon as deletion starts, even if removing the vectors fails", async () => {
    await post("/face", { image: b64(crops.fiona), user_id: "user-fiona" }).expect(200);
    // Deletion through a service whose Chroma is down: 503, but the rows are already marked.
    const broken = createFaceService({
      ...ctx,
      vectors: new FaceVectorStore("http://127.0.0.1:9", ctx.config.FACE_COLLECTION),
    });
    await expect(broken.deleteUser("user-fiona")).rejects.toMatchObject({
      status: 503,
      detail: "Face index unavailable",
    });

    const search = await post("/search", { image: b64(crops.fiona) });
    expect(search.status).toBe(400);
    expect(
      (await request(ctx.app).get(`${P}/check/user-fiona`).set("Authorization", ctx.serviceAuth)).body,
    ).toEqual({ status: false });
    // The face can be enrolled again right away; repair later removes the stale vector and row.
    const [stale] = await ctx.db.faceExample.findMany({ where: { userId: "user-fiona", state: "deleting" } });
    await post("/face", { image: b64(crops.fiona), user_id: "user-fiona-new" }).expect(200);
    await repo.setUpdatedAt(stale!.id, new Date(Date.now() - 3_600_000));
    expect(await ctx.faces.repair()).toBe(1);
    expect((await ctx.vectors.embeddings([stale!.id])).size).toBe(0);
    expect((await post("/search", { image: b64(crops.fiona) })).body.user_id).toBe("user-fiona-new");
  });

  it("answers 503 and leaves no usable half-enrolment when Chroma is down", async () => {
    const broken = createFaceService({
      ...ctx,
      vectors: new FaceVectorStore("http://127.0.0.1:9", ctx.config.FACE_COLLECTION),
    });
    await expect(broken.enrol("user-offline", crops.bella)).rejects.toMatchObject({ status: 503 });
    expect(await ctx.db.faceExample.count({ where: { userId: "user-offline", state: "active" } })).toBe(0);
    expect(
      (await request(ctx.app).get(`${P}/check/user-offline`).set("Authorization", ctx.serviceAuth)).body,
    ).toEqual({ status: false });
  });

  it("keeps Chroma and Postgres in step: every active row has its vector and vice versa", async () => {
    const rows = await ctx.db.faceExample.findMany({ where: { state: "active" } });
    const stored = await ctx.vectors.embeddings(rows.map((r) => r.id));
    expect(stored.size).toBe(rows.length);
  });
});
