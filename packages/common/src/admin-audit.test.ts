import request from "supertest";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  auditAdminMutations,
  entityOf,
  idOf,
  type AdminAction,
  type AdminActionJournal,
  type AdminActionOutcome,
} from "./admin-audit.js";
import { createServiceApp } from "./app.js";
import type { ServicePrincipal } from "./auth.js";
import { HttpError, unauthorized } from "./errors.js";
import { createLogger } from "./logger.js";
import { ApiRouter, type AuthGuard } from "./router.js";

const logger = createLogger("test", "silent");
const PREFIX = "/t_api/v1";
const admin: AuthGuard<ServicePrincipal> = {
  scheme: "engineer",
  authenticate: async (req) => {
    if (req.headers.authorization !== "Bearer admin") throw unauthorized();
    return { kind: "engineer", subject: "eng-1", privileges: 0, token: "admin" } as ServicePrincipal;
  },
};

/** An in-memory journal (a pure unit of the hook): records calls in order; `begin` can be made to fail. */
function memoryJournal(opts: { failBegin?: boolean } = {}) {
  const log: string[] = [];
  const completed: { action: AdminAction; outcome: AdminActionOutcome }[] = [];
  const journal: AdminActionJournal = {
    async begin(action) {
      if (opts.failBegin) throw new Error("database refused");
      log.push(`begin ${action.action}`);
      return `id-${log.length}`;
    },
    async complete(id, action, outcome) {
      await new Promise((resolve) => setTimeout(resolve, 30)); // a slow write: the answer must still wait
      log.push(`complete ${id}`);
      completed.push({ action: structuredClone(action), outcome });
    },
    async discard(id) {
      log.push(`discard ${id}`);
    },
  };
  return { journal, log, completed };
}

function buildApp(journal: AdminActionJournal, log: string[]) {
  const stores = new Map<string, { id: string; name: string; items: string[] }>([
    ["s1", { id: "s1", name: "Kiosk", items: [] }],
  ]);
  const api = new ApiRouter()
    .route({
      method: "get",
      path: "/admin/store/:id",
      summary: "read",
      auth: admin,
      params: z.object({ id: z.string() }),
      handler: async ({ params }) => {
        const s = stores.get(params.id);
        if (!s) throw new HttpError(404, "Store not found");
        return structuredClone(s);
      },
    })
    .route({
      method: "put",
      path: "/admin/store/:id",
      summary: "rename",
      auth: admin,
      params: z.object({ id: z.string() }),
      body: z.object({ name: z.string().min(1) }),
      handler: async ({ params, body }) => {
        log.push("handler");
        stores.get(params.id)!.name = body.name;
        return { ok: true };
      },
    })
    .route({
      method: "post",
      path: "/admin/store/:id/items/import",
      summary: "import",
      auth: admin,
      params: z.object({ id: z.string() }),
      body: z.object({ items: z.array(z.string()) }),
      handler: async ({ params, body }) => {
        stores.get(params.id)!.items.push(...body.items);
        return { imported: body.items.length };
      },
    })
    .route({
      method: "post",
      path: "/admin/thing",
      summary: "create",
      auth: admin,
      body: z.object({ name: z.string() }),
      status: 201,
      handler: async ({ body }) => ({ id: "t-9", name: body.name }),
    });
  return createServiceApp({
    name: "t",
    prefix: PREFIX,
    logger,
    api,
    readiness: [],
    bodyChecks: [auditAdminMutations({ journal, operations: api.operations, prefix: PREFIX, logger })],
  });
}

describe("auditAdminMutations (the kit's admin hook)", () => {
  it("begins before the handler and answers only after the outcome is written, with before and after", async () => {
    const { journal, log, completed } = memoryJournal();
    const app = buildApp(journal, log);
    const res = await request(app)
      .put(`${PREFIX}/admin/store/s1`)
      .set("Authorization", "Bearer admin")
      .send({ name: "Buffet" });
    expect(res.status).toBe(200);
    // When the answer arrived, the (slow) completion had already been written.
    expect(log).toEqual(["begin PUT /admin/store/:id", "handler", "complete id-1"]);
    expect(completed[0]).toMatchObject({
      action: {
        actorKind: "engineer",
        actorId: "eng-1",
        method: "PUT",
        entity: "store",
        entityId: "s1",
        request: { name: "Buffet" },
        before: { id: "s1", name: "Kiosk" },
      },
      outcome: { status: 200, entityId: "s1", after: { id: "s1", name: "Buffet" } },
    });
  });

  it("refuses the action with 503 when it cannot be begun: the handler never runs", async () => {
    const { journal, log } = memoryJournal({ failBegin: true });
    const app = buildApp(journal, log);
    const res = await request(app)
      .put(`${PREFIX}/admin/store/s1`)
      .set("Authorization", "Bearer admin")
      .send({ name: "Nope" });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ detail: "Audit log unavailable" });
    expect(log).toEqual([]);
  });

  it("discards refused or failed actions and ignores anonymous callers and reads", async () => {
    const { journal, log } = memoryJournal();
    const app = buildApp(journal, log);
    expect((await request(app).put(`${PREFIX}/admin/store/s1`).send({ name: "x" })).status).toBe(401);
    expect(
      (await request(app).put(`${PREFIX}/admin/store/s1`).set("Authorization", "Bearer admin").send({}))
        .status,
    ).toBe(422);
    expect(
      (await request(app).get(`${PREFIX}/admin/store/s1`).set("Authorization", "Bearer admin")).status,
    ).toBe(200);
    expect(log).toEqual(["begin PUT /admin/store/:id", "discard id-1"]);
  });

  it("takes before/after from the nearest readable parent, and a create's id from its answer", async () => {
    const { journal, log, completed } = memoryJournal();
    const app = buildApp(journal, log);
    await request(app)
      .post(`${PREFIX}/admin/store/s1/items/import`)
      .set("Authorization", "Bearer admin")
      .send({ items: ["tea"] })
      .expect(200);
    expect(completed[0]).toMatchObject({
      action: { before: { id: "s1", items: [] } },
      outcome: { after: { id: "s1", items: ["tea"] } },
    });
    await request(app)
      .post(`${PREFIX}/admin/thing`)
      .set("Authorization", "Bearer admin")
      .send({ name: "n" })
      .expect(201);
    expect(completed[1]).toMatchObject({
      action: { entity: "thing", entityId: null, before: null },
      outcome: { status: 201, entityId: "t-9", after: { id: "t-9", name: "n" } },
    });
  });

  it("names entities and ids", () => {
    expect(entityOf("/admin/trains/:train_number")).toBe("train");
    expect(entityOf("/admin/access")).toBe("access");
    expect(idOf({ number: 752 })).toBe("752");
    expect(idOf([{ id: "a" }, { id: "b" }])).toBe("a,b");
    expect(idOf("x")).toBeNull();
  });
});
