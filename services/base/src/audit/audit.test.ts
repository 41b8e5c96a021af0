import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../test/fixtures.js";
import { API, adminToken, bearer } from "../../test/helpers.js";
import { AuditRepository } from "./audit.repository.js";
import { AuditService, REDACTED, redact } from "./audit.service.js";

/** The audit hook reads "before"/"after" from the service's own socket, so the app listens like in production. */
describe("admin audit log", () => {
  let ctx: TestContext;
  let server: Server;
  let admin: string;
  beforeAll(async () => {
    ctx = await createTestContext();
    server = createServer(ctx.app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    admin = await adminToken(ctx);
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await ctx?.close();
  });

  const audit = (query = "") => request(server).get(`${API}/admin/audit${query}`).set(bearer(admin));

  /** Entries are written before the answer goes out: no waiting, they are there when the change is. */
  async function entries(query: string, n: number) {
    const res = await audit(query);
    expect(res.status).toBe(200);
    expect(res.body.total).toBeGreaterThanOrEqual(n);
    return res.body;
  }

  const station = (id: string) => ({ id, name_ru: "Аудит", name_en: "Audit", time_zone: "Europe/Moscow" });
  const stationId = () => `AUDIT_${randomBytes(4).toString("hex").toUpperCase()}`;
  const service = () => new AuditService(new AuditRepository(ctx.db));

  const trainBody = (name: string) => ({
    name,
    stops: [
      { station_id: "MOSCOW", departure_minutes: 0 },
      { station_id: "SPB", arrival_minutes: 240 },
    ],
    wagons: [{ number: 1, class: "economy", seats: 10 }],
  });

  it("records who changed what, with the entity before and after, for create, update and delete", async () => {
    const number = 30000 + Math.floor(Math.random() * 9999);
    const created = await request(server)
      .post(`${API}/admin/trains`)
      .set(bearer(admin))
      .send({ number, ...trainBody("Old name") });
    expect(created.status).toBe(201);
    const updated = await request(server)
      .put(`${API}/admin/trains/${number}`)
      .set(bearer(admin))
      .send(trainBody("New name"));
    expect(updated.status).toBe(200);
    expect((await request(server).delete(`${API}/admin/trains/${number}`).set(bearer(admin))).status).toBe(
      200,
    );

    const page = await entries(`?entity=train&size=10`, 3);
    const mine = page.items.filter((e: { entity_id: string }) => e.entity_id === String(number));
    expect(mine.map((e: { action: string }) => e.action)).toEqual([
      "DELETE /admin/trains/:train_number",
      "PUT /admin/trains/:train_number",
      "POST /admin/trains",
    ]);
    const [del, put, post] = mine;
    for (const e of mine) {
      expect(e).toMatchObject({
        actor_kind: "engineer",
        actor_login: ctx.config.BOOTSTRAP_ENGINEER_LOGIN,
        entity: "train",
        status: expect.any(Number),
      });
      expect(Date.parse(e.at)).toBeGreaterThan(Date.now() - 60_000);
    }
    expect(post.before).toBeNull();
    expect(post.after).toMatchObject({ number, name: "Old name" });
    expect(put.before).toMatchObject({ number, name: "Old name" });
    expect(put.after).toMatchObject({ number, name: "New name" });
    expect(put.request).toMatchObject({ name: "New name" });
    expect(del.before).toMatchObject({ number, name: "New name" });
    expect(del.after).toBeNull();
  });

  it("never stores secrets: passwords and card keys are redacted", async () => {
    const login = `audit-${Math.random().toString(36).slice(2, 10)}`;
    const created = await request(server)
      .post(`${API}/admin/engineer`)
      .set(bearer(admin))
      .send({ login, password: "s3cret-pass-word", privileges: [] });
    expect(created.status).toBe(200);
    const card = await request(server)
      .put(`${API}/admin/engineer/${created.body.id}/auth_card`)
      .set(bearer(admin))
      .send({ key: "RFID-0042-SECRET" });
    expect(card.status).toBe(200);
    const page = await entries(`?entity=engineer&size=50`, 2);
    const text = JSON.stringify(page);
    expect(text).not.toContain("s3cret-pass-word");
    expect(text).not.toContain("RFID-0042-SECRET");
    const create = page.items.find(
      (e: { entity_id: string; method: string }) => e.entity_id === created.body.id && e.method === "POST",
    );
    expect(create.request).toMatchObject({ login, password: REDACTED });
  });

  it("logs nothing for refused or failed requests", async () => {
    const before = (await audit("?size=1")).body.total as number;
    expect((await request(server).post(`${API}/admin/trains`).send(trainBody("x"))).status).toBe(401);
    expect(
      (await request(server).post(`${API}/admin/trains`).set(bearer(admin)).send({ number: "x" })).status,
    ).toBe(422);
    expect(
      (
        await request(server)
          .delete(`${API}/admin/runs/00000000-0000-4000-8000-000000000000`)
          .set(bearer(admin))
      ).status,
    ).toBeLessThan(500);
    const after = (await audit("?size=50")).body;
    const newer = after.items.slice(0, after.total - before);
    expect(newer.every((e: { action: string }) => e.action === "DELETE /admin/runs/:run_id")).toBe(true);
  });

  it("filters by actor, entity, action and time, newest first", async () => {
    await entries("?size=1", 1);
    const byActor = await audit(`?actor=${ctx.config.BOOTSTRAP_ENGINEER_LOGIN}&size=100`);
    expect(byActor.body.total).toBeGreaterThan(0);
    expect(
      byActor.body.items.every(
        (e: { actor_login: string }) => e.actor_login === ctx.config.BOOTSTRAP_ENGINEER_LOGIN,
      ),
    ).toBe(true);
    expect((await audit(`?actor=service`)).body.total).toBe(0);
    const deletes = await audit(`?action=DELETE&entity=train`);
    expect(deletes.body.items.length).toBeGreaterThan(0);
    expect(deletes.body.items.every((e: { method: string }) => e.method === "DELETE")).toBe(true);
    expect((await audit(`?from=2999-01-01T00:00:00Z`)).body.total).toBe(0);
    expect((await audit(`?to=2000-01-01T00:00:00Z`)).body.total).toBe(0);
    const all = (await audit(`?size=100`)).body;
    const times = all.items.map((e: { at: string }) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(all).toMatchObject({ page: 1, size: 100, pages: 1 });
    expect((await audit(`?from=yesterday`)).status).toBe(422);
  });

  it("cannot be edited: no API to change it, and the database refuses UPDATE, DELETE and TRUNCATE", async () => {
    await entries("?size=1", 1);
    expect((await request(server).get(`${API}/admin/audit`)).status).toBe(401);
    expect((await request(server).delete(`${API}/admin/audit`).set(bearer(admin))).status).toBe(405);
    await expect(ctx.db.$executeRawUnsafe(`UPDATE audit_log SET action = 'forged'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(ctx.db.$executeRawUnsafe(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(ctx.db.$executeRawUnsafe(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    expect(await ctx.db.auditEntry.count({ where: { action: "forged" } })).toBe(0);
  });

  it("records admin actions the store service reports with the service token (engineers cannot write entries)", async () => {
    const storeId = "6f1c2a4e-0000-4000-8000-00000000abcd";
    const report = {
      service: "store",
      actor_kind: "service",
      action: "DELETE /admin/store/:store_id",
      method: "DELETE",
      entity: "store",
      entity_id: storeId,
      status: 200,
      request: { token: "leak-me-not" },
    };
    expect((await request(server).post(`${API}/internal/audit`).set(bearer(admin)).send(report)).status).toBe(
      401,
    );
    const res = await request(server)
      .post(`${API}/internal/audit`)
      .set(bearer(ctx.config.INTERNAL_SERVICE_TOKEN))
      .send(report);
    expect(res.status).toBe(201);
    const page = await entries(`?entity=store&actor=service`, 1);
    expect(page.items[0]).toMatchObject({
      actor_kind: "service",
      action: "store: DELETE /admin/store/:store_id",
      entity_id: storeId,
      request: { token: REDACTED },
    });
    expect(
      (
        await request(server)
          .post(`${API}/internal/audit`)
          .set(bearer(ctx.config.INTERNAL_SERVICE_TOKEN))
          .send({ ...report, status: 500 })
      ).status,
    ).toBe(422);
  });

  it("writes each entry before the answer, also under concurrent changes", async () => {
    const ids = Array.from({ length: 12 }, stationId);
    const answers = await Promise.all(
      ids.map(async (id) => {
        const res = await request(server).post(`${API}/admin/stations`).set(bearer(admin)).send(station(id));
        // Asked the moment this answer arrived, while the other creates are still running.
        const log = await audit(`?entity=station&action=POST&size=100`);
        return { res, logged: log.body.items.some((e: { entity_id: string }) => e.entity_id === id) };
      }),
    );
    for (const { res, logged } of answers) {
      expect(res.status).toBe(201);
      expect(logged).toBe(true);
    }
    const page = (await audit(`?entity=station&action=POST&size=100`)).body;
    for (const id of ids)
      expect(page.items.filter((e: { entity_id: string }) => e.entity_id === id)).toHaveLength(1);
    expect(await ctx.db.auditIntent.count()).toBe(0);
    for (const id of ids) await request(server).delete(`${API}/admin/stations/${id}`).set(bearer(admin));
  });

  it("refuses an admin change when its audit entry cannot be begun (nothing changed, 503)", async () => {
    const id = stationId();
    // A real write failure: the database refuses every new intent.
    await ctx.db.$executeRawUnsafe(
      `ALTER TABLE audit_intents ADD CONSTRAINT audit_test_refuse CHECK (false) NOT VALID`,
    );
    try {
      const res = await request(server).post(`${API}/admin/stations`).set(bearer(admin)).send(station(id));
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ detail: "Audit log unavailable" });
    } finally {
      await ctx.db.$executeRawUnsafe(`ALTER TABLE audit_intents DROP CONSTRAINT audit_test_refuse`);
    }
    expect(await ctx.db.station.findUnique({ where: { id } })).toBeNull();
    expect(
      (await audit(`?entity=station&size=100`)).body.items.some(
        (e: { entity_id: string }) => e.entity_id === id,
      ),
    ).toBe(false);
  });

  it("an action whose entry could not be completed is still logged (outcome unknown) by the recovery", async () => {
    const id = stationId();
    // The change succeeds but writing its entry fails (as if the process stopped right after the change).
    await ctx.db.$executeRawUnsafe(
      `ALTER TABLE audit_log ADD CONSTRAINT audit_test_refuse CHECK (false) NOT VALID`,
    );
    try {
      const res = await request(server).post(`${API}/admin/stations`).set(bearer(admin)).send(station(id));
      expect(res.status).toBe(201);
      expect(await ctx.db.auditIntent.count()).toBe(1);
      // While the entry cannot be written, the recovery keeps the intent rather than losing it.
      await expect(service().recoverInterrupted(0)).rejects.toThrow();
      expect(await ctx.db.auditIntent.count()).toBe(1);
    } finally {
      await ctx.db.$executeRawUnsafe(`ALTER TABLE audit_log DROP CONSTRAINT audit_test_refuse`);
    }
    // A recent intent may belong to a running request: it is left alone until it is old enough.
    expect(await service().recoverInterrupted(60_000)).toBe(0);
    expect(await service().recoverInterrupted(0)).toBe(1);
    expect(await ctx.db.auditIntent.count()).toBe(0);
    const page = (await audit(`?entity=station&size=100`)).body;
    const entry = page.items.find(
      (e: { status: number; request: { id?: string } | null }) => e.status === 0 && e.request?.id === id,
    );
    expect(entry).toMatchObject({
      action: "POST /admin/stations",
      actor_login: ctx.config.BOOTSTRAP_ENGINEER_LOGIN,
      request: { id, name_en: "Audit" },
      after: null,
    });
    await request(server).delete(`${API}/admin/stations/${id}`).set(bearer(admin));
  });

  it("logs a request whose ignored field names hold NUL characters (Postgres JSON cannot store them)", async () => {
    const id = stationId();
    const res = await request(server)
      .post(`${API}/admin/stations`)
      .set(bearer(admin))
      .set("Content-Type", "application/json")
      .send(`{"id":"${id}","name_ru":"Аудит","name_en":"Audit","time_zone":"Europe/Moscow","x\\u0000y":1}`);
    expect(res.status).toBe(201);
    const entry = (await audit(`?entity=station&action=POST&size=100`)).body.items.find(
      (e: { entity_id: string }) => e.entity_id === id,
    );
    expect(entry.request).toMatchObject({ id, "x\uFFFDy": 1 });
    await request(server).delete(`${API}/admin/stations/${id}`).set(bearer(admin));
  });

  it("writes a delivered report once per source id, at the time the action happened", async () => {
    const report = {
      service: "store",
      actor_kind: "service",
      action: "PUT /admin/store/:store_id",
      method: "PUT",
      entity: "store",
      entity_id: "6f1c2a4e-0000-4000-8000-00000000beef",
      status: 200,
      before: { name: "a" },
      after: { name: "b" },
      source_id: "0b7e1c7e-1111-4000-8000-000000000001",
      at: "2026-01-02T03:04:05.000Z",
    };
    const send = () =>
      request(server)
        .post(`${API}/internal/audit`)
        .set(bearer(ctx.config.INTERNAL_SERVICE_TOKEN))
        .send(report);
    const results = await Promise.all([send(), send(), send()]);
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    const page = (await audit(`?entity=store&size=100`)).body;
    const mine = page.items.filter((e: { entity_id: string }) => e.entity_id === report.entity_id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ at: report.at, before: { name: "a" }, after: { name: "b" } });
  });

  it("redacts secret field names at any depth, keeping the rest", () => {
    expect(
      redact({
        login: "a",
        password: "p",
        password_hash: "h",
        public_key: "pem",
        key: "card",
        code: "c",
        items: [{ token: "t", name: "n" }],
        train_number: 5,
        image: "A".repeat(5000),
      }),
    ).toEqual({
      login: "a",
      password: REDACTED,
      password_hash: REDACTED,
      public_key: REDACTED,
      key: REDACTED,
      code: REDACTED,
      items: [{ token: REDACTED, name: "n" }],
      train_number: 5,
      image: "[5000 characters omitted]",
    });
  });
});
