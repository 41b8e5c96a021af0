/**
 * Issue 12 through nginx: a terminal's live task stream (SSE, not buffered by nginx) sees a robot's purchase and
 * the robot's stream sees it ready; the store's admin actions reach base's audit log with before and after; a base
 * admin change is in the log the moment it answers; the robot list shows the robot's last login. Everything
 * created is deleted afterwards (`cleanup`).
 */
import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { BASE, call, enrolAndLogin, STORE, stackTest } from "./support.js";

/** Reads a server-sent event stream with fetch until `want` matches an event (or the timeout). */
function stream(url: string, token: string) {
  const controller = new AbortController();
  const events: { event: string; data: Record<string, unknown> }[] = [];
  let text = "";
  const opened = fetch(url, {
    headers: { Authorization: `Bearer ${token}` },
    signal: controller.signal,
  }).then(async (res) => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          text += decoder.decode(value, { stream: true });
          let cut: number;
          while ((cut = text.indexOf("\n\n")) >= 0) {
            const block = text.slice(0, cut);
            text = text.slice(cut + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event && data) events.push({ event, data: JSON.parse(data) });
            if (block.includes(": connected")) events.push({ event: "connected", data: {} });
          }
        }
      } catch {
        // aborted at the end of the test
      }
    })();
    return res;
  });
  return {
    opened,
    async next(event: string, match: (data: Record<string, unknown>) => boolean = () => true) {
      for (let i = 0; i < 100; i++) {
        const found = events.find((e) => e.event === event && match(e.data));
        if (found) return found.data;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`no ${event} event; got ${JSON.stringify(events)}`);
    },
    close: () => controller.abort(),
  };
}

describe("live tasks and the audit log through nginx", () => {
  stackTest(
    "a purchase appears live on the terminal, ready on the robot's stream; both logged",
    async ({ admin, cleanup }) => {
      const created = await call("POST", `${STORE}/admin/store`, admin, {
        name: `E2E live ${randomUUID().slice(0, 8)}`,
        description: "Created by packages/e2e/test/live-tasks-and-audit.test.ts",
        logo_url: "/static/logos/1.png",
        store_type: "SHOP",
      });
      expect(created.status, JSON.stringify(created.body)).toBe(200);
      const storeId = created.body.id as string;
      cleanup.add(() => call("DELETE", `${STORE}/admin/store/${storeId}`, admin));
      const terminal = await enrolAndLogin("store", { store_id: storeId });
      cleanup.add(() => call("DELETE", `${BASE}/admin/store_terminals/${storeId}`, admin));
      const robot = await enrolAndLogin("robot", {
        robot_model_id: `e2e-live-${randomUUID()}`,
        robot_model_name: "E2E:1.0",
      });
      cleanup.add(() => call("DELETE", `${BASE}/admin/robots/${robot.id}`, admin));
      const item = await call("POST", `${STORE}/store/item`, terminal.token, {
        name: "Tea",
        description: "Black",
        logo_url: "tea.jpg",
        balance: 5,
        price_penny: 9000,
        category: "drinks",
      });
      expect(item.status, JSON.stringify(item.body)).toBe(200);

      const trainNumber = 9000 + Math.floor(Math.random() * 900);
      const queue = stream(`${STORE}/store/tasks/events`, terminal.token);
      const robotStream = stream(`${STORE}/robot/tasks/events?train_number=${trainNumber}`, robot.token);
      try {
        const res = await queue.opened;
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
        await queue.next("connected");
        await robotStream.next("connected");

        const purchase = await call("POST", `${STORE}/robot/store/${storeId}/make_purchase`, robot.token, {
          user_id: randomUUID(),
          items: [{ item_id: item.body.id, count: 1 }],
          is_default_ready: false,
          train_number: trainNumber,
        });
        expect(purchase.status, JSON.stringify(purchase.body)).toBe(200);
        const createdEvent = await queue.next("task.created");
        const task = createdEvent.task as { id: string; status: string; purchase: { id: string } };
        expect(task).toMatchObject({ status: "pending", purchase: { id: purchase.body.id } });

        expect((await call("PUT", `${STORE}/store/task/${task.id}/ready`, terminal.token)).status).toBe(200);
        const ready = await robotStream.next("task.ready", (d) => (d.task as { id: string }).id === task.id);
        expect(ready.task).toMatchObject({ status: "ready", train_number: trainNumber });
      } finally {
        queue.close();
        robotStream.close();
      }

      // The store's admin actions reach base's audit log (from the store's outbox, moments later), with the
      // store as it was before and after.
      const storeEntry = async (action: string) => {
        for (let i = 0; i < 50; i++) {
          const page = await call("GET", `${BASE}/admin/audit?action=store:&entity=store&size=100`, admin);
          expect(page.status).toBe(200);
          const found = (page.body.items as Record<string, unknown>[]).find(
            (e) => e.entity_id === storeId && e.action === action,
          );
          if (found) return found;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw new Error(`no audit entry "${action}" for store ${storeId}`);
      };
      expect(await storeEntry("store: POST /admin/store")).toMatchObject({
        actor_kind: "engineer",
        actor_login: expect.any(String),
        before: null,
        after: { id: storeId, name: created.body.name },
      });
      expect((await call("DELETE", `${STORE}/admin/store/${storeId}`, admin)).status).toBe(200);
      expect(await storeEntry("store: DELETE /admin/store/:store_id")).toMatchObject({
        before: { id: storeId, items: [expect.objectContaining({ name: "Tea" })] },
        after: null,
      });

      // A base admin change answers only once its entry is written: it is there the moment the answer is.
      const stationId = `E2E_AUDIT_${randomUUID().slice(0, 8).toUpperCase()}`;
      const station = await call("POST", `${BASE}/admin/stations`, admin, {
        id: stationId,
        name_ru: "Аудит",
        name_en: "Audit",
        time_zone: "Europe/Moscow",
      });
      expect(station.status, JSON.stringify(station.body)).toBe(201);
      cleanup.add(() => call("DELETE", `${BASE}/admin/stations/${stationId}`, admin));
      const stations = await call("GET", `${BASE}/admin/audit?entity=station&action=POST&size=20`, admin);
      expect(
        (stations.body.items as Record<string, unknown>[]).find((e) => e.entity_id === stationId),
      ).toMatchObject({ action: "POST /admin/stations", after: { id: stationId, name_en: "Audit" } });

      // The robot list shows the robot's login.
      const robots = await call("GET", `${BASE}/admin/robots?size=100&page=1`, admin);
      const listed = await (async () => {
        for (let page = 1; page <= (robots.body.pages as number); page++) {
          const r = await call("GET", `${BASE}/admin/robots?size=100&page=${page}`, admin);
          const found = (r.body.items as { id: string }[]).find((x) => x.id === robot.id);
          if (found) return found as Record<string, unknown>;
        }
        return undefined;
      })();
      expect(listed).toMatchObject({ id: robot.id, last_login_at: expect.any(String) });
    },
  );
});
