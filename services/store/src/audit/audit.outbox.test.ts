import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../test/fixtures.js";
import {
  API,
  bearer,
  createItem,
  engineerToken,
  serviceToken,
  storeWithTerminal,
} from "../../test/helpers.js";
import { AuditOutbox, BaseAuditSink, type AuditReport } from "./audit.outbox.js";
import { AuditOutboxRepository } from "./audit.outbox.repository.js";
import { baseServiceClient } from "../shared/base-client.js";

interface Received {
  path: string;
  authorization?: string;
  body: AuditReport;
}

/**
 * A stand-in for the base service's POST /internal/audit over real HTTP on a fixed port, which can be taken down
 * (connection refused) and brought back, or made to answer 503 like a base service whose database is down.
 */
async function startBaseStub() {
  const received: Received[] = [];
  let failing = false;
  let refused = 0;
  let server: Server | undefined;
  const listen = async (port: number) => {
    server = createServer((req: IncomingMessage, res) => {
      let raw = "";
      req.on("data", (c: Buffer) => (raw += c.toString()));
      req.on("end", () => {
        if (failing) {
          refused++;
          return res.writeHead(503, { "Content-Type": "application/json" }).end('{"detail":"x"}');
        }
        received.push({
          path: req.url ?? "",
          authorization: req.headers.authorization,
          body: JSON.parse(raw) as AuditReport,
        });
        res.writeHead(201, { "Content-Type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => server!.listen(port, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
  };
  const port = await listen(0);
  const down = () =>
    new Promise<void>((resolve) => {
      server!.closeAllConnections();
      server!.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${port}/base_api/v1`,
    received,
    down,
    up: () => listen(port),
    failWith503: (on: boolean) => (failing = on),
    refused: () => refused,
  };
}

const until = async (what: string, ok: () => boolean | Promise<boolean>, ms = 10_000) => {
  for (const started = Date.now(); Date.now() - started < ms;) {
    if (await ok()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe("store admin actions reach the base audit log through the store's outbox", () => {
  let ctx: TestContext;
  let base: Awaited<ReturnType<typeof startBaseStub>>;
  beforeAll(async () => {
    base = await startBaseStub();
    ctx = await createTestContext({
      AUDIT_TO_BASE: "true",
      BASE_API_URL: base.url,
      AUDIT_DELIVERY_INTERVAL_SECONDS: "0.1",
      AUDIT_RETRY_MAX_SECONDS: "0.2",
    });
  });
  afterAll(async () => {
    await ctx?.close();
    await base?.down();
  });

  const outboxRows = () => ctx.db.auditOutboxEntry.count();
  const reportsFor = (entityId: string) => base.received.filter((r) => r.body.entity_id === entityId);
  const newStore = (name: string) =>
    request(ctx.app)
      .post(`${API}/admin/store`)
      .set("Authorization", bearer(serviceToken(ctx)))
      .send({ name, description: "d", logo_url: "l", store_type: "SHOP" });

  it("reports successful admin mutations with the actor, before and after, and nothing else", async () => {
    const created = await newStore("Audited kiosk");
    expect(created.status).toBe(200);
    await until("the create report", () => reportsFor(created.body.id).length === 1);
    expect(reportsFor(created.body.id)[0]).toMatchObject({
      path: "/base_api/v1/internal/audit",
      authorization: `Bearer ${ctx.config.INTERNAL_SERVICE_TOKEN}`,
      body: {
        service: "store",
        actor_kind: "service",
        actor_id: null,
        action: "POST /admin/store",
        method: "POST",
        entity: "store",
        status: 200,
        request: { name: "Audited kiosk" },
        before: null,
        after: { id: created.body.id, name: "Audited kiosk" },
        source_id: expect.any(String),
      },
    });

    // Refused and failed requests and terminal routes are not reported.
    const sentBefore = base.received.length;
    expect((await request(ctx.app).post(`${API}/admin/store`).send({ name: "x" })).status).toBe(401);
    expect((await newStore("")).status).toBe(422);
    const { store, token } = await storeWithTerminal(ctx); // one admin create
    const storeId = store.id;
    await createItem(ctx, token);
    await until("the terminal's store report", () => reportsFor(storeId).length === 1);
    expect(base.received.length).toBe(sentBefore + 1);

    const engineer = await engineerToken(ctx);
    const deleted = await request(ctx.app)
      .delete(`${API}/admin/store/${storeId}`)
      .set("Authorization", bearer(engineer));
    expect(deleted.status).toBe(200);
    await until("the delete report", () => reportsFor(storeId).length === 2);
    const session = await ctx.sessions.validate("engineer", engineer);
    expect(reportsFor(storeId)[1]!.body).toMatchObject({
      actor_kind: "engineer",
      actor_id: session!.subject,
      action: "DELETE /admin/store/:store_id",
      entity_id: storeId,
      // The store with its item as the admin GET showed it just before the delete.
      before: { id: storeId, items: [expect.objectContaining({ name: expect.any(String) })] },
      after: null,
    });
    expect(await outboxRows()).toBe(0);
  });

  it("keeps every entry while the base service is down and delivers each once when it is back", async () => {
    await base.down();
    const names = Array.from({ length: 8 }, (_, i) => `Offline kiosk ${i}`);
    const created = await Promise.all(names.map((name) => newStore(name)));
    for (const res of created) expect(res.status).toBe(200);
    const changedBy = Date.now();
    // Each change answered with its report already in the store's own database.
    expect(await outboxRows()).toBeGreaterThanOrEqual(names.length);
    const removed = await request(ctx.app)
      .delete(`${API}/admin/store/${created[0]!.body.id}`)
      .set("Authorization", bearer(serviceToken(ctx)));
    expect(removed.status).toBe(200);
    // Several failed rounds, each kept with its error.
    await until("retries", async () => {
      const row = await ctx.db.auditOutboxEntry.findFirst({ where: { completed: true } });
      return (row?.attempts ?? 0) > 1 && Boolean(row?.lastError);
    });

    // Back, but answering 503 for a while (its database restarting): still kept.
    base.failWith503(true);
    await base.up();
    await until("refused deliveries", () => base.refused() >= 3);
    expect(await outboxRows()).toBe(names.length + 1);
    base.failWith503(false);

    await until("every report delivered", async () => (await outboxRows()) === 0);
    for (const res of created) {
      const reports = reportsFor(res.body.id).filter((r) => r.body.method === "POST");
      expect(reports).toHaveLength(1);
      expect(reports[0]!.body).toMatchObject({ status: 200, after: { name: res.body.name } });
      // Stamped with when the change happened, not when it was delivered.
      expect(Date.parse(reports[0]!.body.at)).toBeLessThanOrEqual(changedBy);
    }
    expect(reportsFor(created[0]!.body.id).find((r) => r.body.method === "DELETE")?.body).toMatchObject({
      before: { id: created[0]!.body.id, name: names[0] },
      after: null,
    });
  });

  it("refuses an admin change whose audit report cannot be written (503, nothing changed)", async () => {
    await ctx.db.$executeRawUnsafe(
      `ALTER TABLE audit_outbox ADD CONSTRAINT audit_test_refuse CHECK (false) NOT VALID`,
    );
    try {
      const res = await newStore("Unaudited kiosk");
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ detail: "Audit log unavailable" });
    } finally {
      await ctx.db.$executeRawUnsafe(`ALTER TABLE audit_outbox DROP CONSTRAINT audit_test_refuse`);
    }
    expect(await ctx.db.store.findFirst({ where: { name: "Unaudited kiosk" } })).toBeNull();
  });

  it("an action whose process stopped before it answered is still reported, with status 0", async () => {
    // The change is made, but completing its report fails (as when the process stops right after the change).
    await ctx.db.$executeRawUnsafe(
      `ALTER TABLE audit_outbox ADD CONSTRAINT audit_test_refuse CHECK (completed = false) NOT VALID`,
    );
    let storeId: string;
    try {
      const res = await newStore("Interrupted kiosk");
      expect(res.status).toBe(200);
      storeId = res.body.id;
    } finally {
      await ctx.db.$executeRawUnsafe(`ALTER TABLE audit_outbox DROP CONSTRAINT audit_test_refuse`);
    }
    expect(await ctx.db.auditOutboxEntry.count({ where: { completed: false } })).toBe(1);
    const sent = base.received.length;
    // A recent one may still be running: the app's own outbox (stale after 10 minutes) leaves it alone.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(base.received.length).toBe(sent);

    const recovery = new AuditOutbox(
      new AuditOutboxRepository(ctx.db),
      new BaseAuditSink(
        baseServiceClient({ baseApiUrl: base.url, serviceToken: ctx.config.INTERNAL_SERVICE_TOKEN }),
      ),
      ctx.logger,
      { intervalMs: 1000, retryMs: { first: 50, max: 100 }, staleAfterMs: 0, batch: 10 },
    );
    expect(await recovery.deliverDue()).toBe(1);
    expect(base.received.at(-1)!.body).toMatchObject({
      action: "POST /admin/store",
      status: 0,
      request: { name: "Interrupted kiosk" },
      after: null,
    });
    expect(await outboxRows()).toBe(0);
    await request(ctx.app)
      .delete(`${API}/admin/store/${storeId!}`)
      .set("Authorization", bearer(serviceToken(ctx)));
  });
});
