import { createHash, randomUUID } from "node:crypto";
import sharp from "sharp";
import request from "supertest";
import { describe, expect } from "vitest";
import { testWithServices, type TestContext } from "../../test/fixtures.js";
import { API, adminToken, bearer, type StubHandler, type StubService } from "../../test/helpers.js";

interface Example {
  id: string;
  userId: string;
  face: string;
}

/**
 * The face service's contract for these routes (GET /faces/{user}, POST /face, DELETE /faces/{face_id},
 * POST /verify), keyed by the photo: the same photo is the same face. `examples` is the service's state.
 */
function faceService(examples: Example[]): StubHandler {
  return ({ method, path, body }) => {
    const b = (body ?? {}) as { image?: string; user_id?: string };
    const face = b.image ? createHash("sha256").update(b.image).digest("hex") : "";
    const list = /\/face_api\/v1\/faces\/([^/]+)$/.exec(path);
    if (method === "GET" && list) {
      const userId = decodeURIComponent(list[1]!);
      const items = examples
        .filter((e) => e.userId === userId)
        .map((e) => ({
          id: e.id,
          user_id: userId,
          created_at: "2026-12-01T16:00:00.000Z",
          detector_score: 0.98,
          box: { x: 1, y: 2, width: 30, height: 40 },
        }));
      return { status: 200, body: { user_id: userId, items } };
    }
    if (method === "DELETE" && list) {
      const at = examples.findIndex((e) => e.id === decodeURIComponent(list[1]!));
      if (at < 0) return { status: 404, body: { detail: "Face not found" } };
      examples.splice(at, 1);
      return { status: 200, body: { status: "OK" } };
    }
    if (method === "POST" && path.endsWith("/face_api/v1/face")) {
      if (examples.some((e) => e.face === face && e.userId !== b.user_id))
        return { status: 409, body: { detail: "User already exists" } };
      const id = randomUUID();
      examples.push({ id, userId: b.user_id!, face });
      return { status: 200, body: { status: "OK", face_id: id } };
    }
    if (method === "POST" && path.endsWith("/face_api/v1/verify")) {
      const own = examples.filter((e) => e.userId === b.user_id);
      if (own.length === 0) return { status: 404, body: { detail: "User not found" } };
      const match = own.some((e) => e.face === face);
      return {
        status: 200,
        body: {
          user_id: b.user_id,
          distance: match ? 0.02 : 0.4,
          similarity: match ? 0.96 : 0,
          match,
          threshold: 0.05,
        },
      };
    }
    return { status: 404, body: { detail: "Not Found" } };
  };
}

const photo = (seed: number) =>
  sharp({ create: { width: 120, height: 120, channels: 3, background: { r: seed, g: 80, b: 160 } } })
    .jpeg()
    .toBuffer();

interface FacesFixture {
  ctx: TestContext;
  face: StubService;
  admin: string;
  examples: Example[];
  passenger: (name?: string) => Promise<string>;
  enrol: (userId: string, bytes: Buffer, token?: string) => request.Test;
  verify: (userId: string, bytes: Buffer) => request.Test;
  list: (userId: string) => request.Test;
}

const it = testWithServices.extend<{ token: string; f: FacesFixture }>({
  token: [async ({ ctx }, use) => use(await adminToken(ctx)), { scope: "file" }],
  f: async ({ ctx, face, token }, use) => {
    const examples: Example[] = [];
    face.handler = faceService(examples);
    const post = (path: string, bytes: Buffer, as = token) =>
      request(ctx.app).post(`${API}${path}`).set(bearer(as)).attach("image", bytes, "photo.jpg");
    await use({
      ctx,
      face,
      admin: token,
      examples,
      passenger: async (name = `P ${randomUUID()}`) => {
        const res = await request(ctx.app).post(`${API}/admin/user`).set(bearer(token)).send({ name });
        expect(res.status).toBe(200);
        return res.body.id as string;
      },
      enrol: (userId, bytes, as) => post(`/admin/user/${userId}/face/upload`, bytes, as),
      verify: (userId, bytes) => post(`/admin/user/${userId}/face/verify/upload`, bytes),
      list: (userId) => request(ctx.app).get(`${API}/admin/user/${userId}/faces`).set(bearer(token)),
    });
  },
});

describe("admin passenger faces: list, enrol from a photo, delete one, test-verify", () => {
  it("enrols photos as examples, lists them, verifies a photo and deletes one example", async ({
    f: { ctx, admin, passenger, enrol, verify, list },
  }) => {
    const userId = await passenger();
    const [first, second, stranger] = await Promise.all([photo(10), photo(20), photo(200)]);
    const a = await enrol(userId, first);
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ status: "OK", face_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const b = await enrol(userId, second);
    expect(b.status).toBe(200);

    const listed = await list(userId);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      user_id: userId,
      items: [
        { id: a.body.face_id, created_at: expect.any(String), detector_score: 0.98, box: expect.any(Object) },
        { id: b.body.face_id, created_at: expect.any(String), detector_score: 0.98, box: expect.any(Object) },
      ],
    });
    const one = await request(ctx.app)
      .get(`${API}/admin/user/${userId}/faces/${a.body.face_id}`)
      .set(bearer(admin));
    expect(one.body).toEqual(listed.body.items[0]);

    const same = await verify(userId, second);
    expect(same.status).toBe(200);
    expect(same.body).toEqual({
      user_id: userId,
      match: true,
      distance: 0.02,
      similarity: 0.96,
      threshold: 0.05,
    });
    expect((await verify(userId, stranger)).body.match).toBe(false);

    const removed = await request(ctx.app)
      .delete(`${API}/admin/user/${userId}/faces/${b.body.face_id}`)
      .set(bearer(admin));
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ status: "OK" });
    expect((await list(userId)).body.items.map((e: { id: string }) => e.id)).toEqual([a.body.face_id]);
    expect((await verify(userId, second)).body.match).toBe(false);
  });

  it("answers another passenger's example, unknown passengers and empty enrolments with clear 404s", async ({
    f: { ctx, admin, passenger, enrol, verify, list, examples },
  }) => {
    const [alice, bob] = [await passenger(), await passenger()];
    const face = (await enrol(alice, await photo(30))).body.face_id as string;
    const foreign = await request(ctx.app)
      .delete(`${API}/admin/user/${bob}/faces/${face}`)
      .set(bearer(admin));
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual({ detail: "Face not found" });
    expect(examples).toHaveLength(1); // Alice's example is untouched

    const ghost = randomUUID();
    expect((await list(ghost)).status).toBe(404);
    expect((await list(ghost)).body).toEqual({ detail: "User not found" });
    expect((await enrol(ghost, await photo(31))).status).toBe(404);
    expect(examples).toHaveLength(1);

    const none = await verify(bob, await photo(30));
    expect(none.status).toBe(404);
    expect(none.body).toEqual({ detail: "No face enrolled for this passenger" });
    // Alice's face enrolled for Bob: the face service's 409.
    const taken = await enrol(bob, await photo(30));
    expect(taken.status).toBe(409);
    expect(taken.body).toEqual({ detail: "Face already exists" });
  });

  it("refuses bad input with 4xx before the face service is asked", async ({
    f: { ctx, face, admin, passenger, enrol },
  }) => {
    const userId = await passenger();
    const calls = face.calls.length;
    const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: "red" } })
      .gif()
      .toBuffer();
    const wrongType = await enrol(userId, gif);
    expect(wrongType.status).toBe(415);
    expect(wrongType.body).toEqual({ detail: "Unsupported image type: JPEG, PNG or WebP only" });
    const json = await request(ctx.app)
      .post(`${API}/admin/user/${userId}/face/upload`)
      .set(bearer(admin))
      .send({ image: "x" });
    expect(json.status).toBe(415);
    const missing = await request(ctx.app)
      .post(`${API}/admin/user/${userId}/face/upload`)
      .set(bearer(admin))
      .field("user", "x");
    expect(missing.status).toBe(422);
    const tooBig = await enrol(userId, Buffer.alloc(8 * 1024 * 1024, 0xff));
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toEqual({ detail: "Photo too large (at most 7.5 MiB)" });
    expect((await request(ctx.app).get(`${API}/admin/user/nope/faces`).set(bearer(admin))).status).toBe(422);
    expect(
      (await request(ctx.app).delete(`${API}/admin/user/${userId}/faces/nope`).set(bearer(admin))).status,
    ).toBe(422);
    expect(face.calls.length).toBe(calls);
  });

  it("requires an ADMIN engineer", async ({ f: { ctx, passenger, enrol } }) => {
    const userId = await passenger();
    expect((await request(ctx.app).get(`${API}/admin/user/${userId}/faces`)).status).toBe(401);
    expect((await enrol(userId, await photo(40), "bogus")).status).toBe(401);
    const verify = await request(ctx.app)
      .post(`${API}/admin/user/${userId}/face/verify/upload`)
      .attach("image", await photo(40), "p.jpg");
    expect(verify.status).toBe(401);
    expect((await request(ctx.app).delete(`${API}/admin/user/${userId}/faces/${randomUUID()}`)).status).toBe(
      401,
    );
  });

  it("answers 503 when the face service is down, changing nothing", async ({
    f: { face, passenger, enrol, list },
  }) => {
    const userId = await passenger();
    face.handler = () => ({ status: 503, body: { detail: "down" } });
    expect((await list(userId)).status).toBe(503);
    const res = await enrol(userId, await photo(50));
    expect(res.status).toBe(503);
  });

  it("writes every engineer face action to the audit log (who, what, which passenger), without the photo", async ({
    f: { ctx, admin, passenger, enrol, verify },
  }) => {
    const userId = await passenger();
    const bytes = await photo(60);
    const faceId = (await enrol(userId, bytes)).body.face_id as string;
    await verify(userId, bytes);
    await request(ctx.app).delete(`${API}/admin/user/${userId}/faces/${faceId}`).set(bearer(admin));
    const entries = await ctx.db.auditEntry.findMany({ where: { entityId: userId }, orderBy: { id: "asc" } });
    expect(entries.map((e) => [e.action, e.actorLogin, e.status])).toEqual([
      ["POST /admin/user", ctx.config.BOOTSTRAP_ENGINEER_LOGIN, 200],
      ["POST /admin/user/:user_id/face/upload", ctx.config.BOOTSTRAP_ENGINEER_LOGIN, 200],
      ["POST /admin/user/:user_id/face/verify/upload", ctx.config.BOOTSTRAP_ENGINEER_LOGIN, 200],
      ["DELETE /admin/user/:user_id/faces/:face_id", ctx.config.BOOTSTRAP_ENGINEER_LOGIN, 200],
    ]);
    const logged = JSON.stringify(entries.map(({ request, before, after }) => ({ request, before, after })));
    expect(logged).not.toContain(bytes.toString("base64").slice(0, 40));
  });
});
