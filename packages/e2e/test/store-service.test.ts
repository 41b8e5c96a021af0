/**
 * Base and store together through nginx (moved here from base's own tests, which loaded the store's fixtures by
 * path and silently skipped when that path moved): store bindings to train runs, the shared robot/terminal
 * session contract, and the store asking base whether a buyer exists (a second store process with
 * VERIFY_BUYERS_WITH_BASE=true, since the stack's store runs without it). Everything a test creates is deleted when it ends (the `cleanup` fixture of support.ts).
 */
import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { enrolRsaClient, fileFixture, loginRsaClient } from "@rail/common/testing";
import {
  BASE,
  call,
  type Cleanup,
  ENV,
  enrolAndLogin,
  STORE,
  stackTest,
  startServiceCopy,
  type ServiceCopy,
} from "./support.js";

/** A second store service that checks every buyer with base (the stack's store runs without it). */
const withVerifyingStore = stackTest.extend<{ store: ServiceCopy }>({
  store: fileFixture(
    () => startServiceCopy("store", { VERIFY_BUYERS_WITH_BASE: "true" }),
    (copy) => copy.stop(),
  ),
});

describe("base and store services together", () => {
  const createStore = async (admin: string, cleanup: Cleanup, kind: "SHOP" | "RESTAURANT") => {
    const created = await call("POST", `${STORE}/admin/store`, admin, {
      name: `E2E ${kind.toLowerCase()} ${randomUUID().slice(0, 8)}`,
      description: "Created by packages/e2e/test/store-service.test.ts",
      logo_url: "/static/logos/1.png",
      store_type: kind,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const id = created.body.id as string;
    cleanup.add(() => call("DELETE", `${STORE}/admin/store/${id}`, admin));
    return id;
  };
  const robotSession = async (admin: string, cleanup: Cleanup) => {
    const robot = await enrolAndLogin("robot", {
      robot_model_id: `e2e-${randomUUID()}`,
      robot_model_name: "E2E:1.0",
    });
    cleanup.add(() => call("DELETE", `${BASE}/admin/robots/${robot.id}`, admin));
    return robot;
  };

  /** A train with one run under way (bindings and the robot's list name runs), removed when the test ends. */
  const runUnderWay = async (admin: string, cleanup: Cleanup) => {
    const trainNumber = 9000 + Math.floor(Math.random() * 900);
    const train = await call("POST", `${BASE}/admin/trains`, admin, {
      number: trainNumber,
      name: "E2E",
      stops: [
        { station_id: "MOSCOW", departure_minutes: 0 },
        { station_id: "SPB", arrival_minutes: 240 },
      ],
      wagons: [{ number: 1, class: "economy", seats: 10 }],
    });
    expect(train.status, JSON.stringify(train.body)).toBe(201);
    cleanup.add(() => call("DELETE", `${BASE}/admin/trains/${trainNumber}`, admin));
    const departure = new Date(Date.now() - 3600_000);
    departure.setUTCSeconds(0, 0);
    const created = await call("POST", `${BASE}/admin/runs`, admin, {
      train_number: trainNumber,
      departure: departure.toISOString(),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const runId = (Array.isArray(created.body) ? created.body[0] : created.body).id as string;
    cleanup.add(() => call("DELETE", `${BASE}/admin/runs/${runId}`, admin));
    const run = { train_number: trainNumber, train_date: departure.toISOString() };
    return { trainNumber, runId, run };
  };

  stackTest(
    "binds a store to a train run, lists it for robots, and the robot's token works on the store",
    async ({ admin, cleanup }) => {
      const storeId = await createStore(admin, cleanup, "RESTAURANT");
      const { trainNumber, runId, run } = await runUnderWay(admin, cleanup);
      const bind = await call("POST", `${BASE}/admin/store/${storeId}/train`, admin, run);
      expect(bind.status, JSON.stringify(bind.body)).toBe(200);
      cleanup.add(() => call("DELETE", `${BASE}/admin/store/${storeId}/train/unbind`, admin, run));
      const unknown = await call("POST", `${BASE}/admin/store/${randomUUID()}/train`, admin, run);
      expect(unknown).toEqual({ status: 404, body: { detail: "Store id not found" } });

      const robot = await robotSession(admin, cleanup);
      // Without a date: the train's current run, the one under way.
      const stores = await call("GET", `${BASE}/robot/train/${trainNumber}/stores`, robot.token);
      expect(stores.status, JSON.stringify(stores.body)).toBe(200);
      expect(stores.body).toMatchObject({ items: [storeId], run_id: runId, train_number: trainNumber });
      const list = await call("POST", `${STORE}/robot/stores/list`, robot.token, { ids: [storeId] });
      expect(list.status).toBe(200);
      expect(list.body).toEqual([expect.objectContaining({ id: storeId })]);
      expect((await call("POST", `${STORE}/robot/stores/list`, undefined, { ids: [storeId] })).status).toBe(
        401,
      );
    },
  );

  stackTest(
    "deleting a store in the store service makes base forget it: train-run bindings and terminal key",
    async ({ admin, cleanup }) => {
      const storeId = await createStore(admin, cleanup, "SHOP");
      const { trainNumber, run } = await runUnderWay(admin, cleanup);
      const bind = await call("POST", `${BASE}/admin/store/${storeId}/train`, admin, run);
      expect(bind.status, JSON.stringify(bind.body)).toBe(200);
      cleanup.add(() => call("DELETE", `${BASE}/admin/store/${storeId}/train/unbind`, admin, run));
      const engineer = { login: ENV.BOOTSTRAP_ENGINEER_LOGIN, password: ENV.BOOTSTRAP_ENGINEER_PASSWORD };
      const key = await enrolRsaClient(BASE, engineer, "store", { store_id: storeId });
      cleanup.add(() => call("DELETE", `${BASE}/admin/store_terminals/${storeId}`, admin));
      const terminal = { token: await loginRsaClient(BASE, key) };
      const bound = `${BASE}/admin/train/stores?train_number=${trainNumber}&train_date=${encodeURIComponent(run.train_date)}`;
      expect((await call("GET", bound, admin)).body.items).toEqual([storeId]);
      expect((await call("GET", `${STORE}/store/items`, terminal.token)).status).toBe(200);

      const deleted = await call("DELETE", `${STORE}/admin/store/${storeId}`, admin);
      expect(deleted).toEqual({ status: 200, body: { status: "OK" } });
      expect((await call("GET", bound, admin)).body).toMatchObject({ items: [], total: 0 });
      expect((await call("GET", `${STORE}/admin/store/${storeId}`, admin)).status).toBe(404);
      // The terminal's sessions ended and its key is gone: it can neither call nor log in again.
      expect((await call("GET", `${STORE}/store/items`, terminal.token)).status).toBe(401);
      await expect(loginRsaClient(BASE, key)).rejects.toThrow();
    },
  );

  stackTest("enrols a store terminal whose token the store service accepts", async ({ admin, cleanup }) => {
    const storeId = await createStore(admin, cleanup, "SHOP");
    const terminal = await enrolAndLogin("store", { store_id: storeId });
    cleanup.add(() => call("DELETE", `${BASE}/admin/store_terminals/${storeId}`, admin));
    expect(terminal.id).toBe(storeId);
    const items = await call("GET", `${STORE}/store/items`, terminal.token);
    expect(items.status).toBe(200);
    expect(items.body).toMatchObject({ items: [], total: 0 });
    expect((await call("GET", `${STORE}/store/items`)).status).toBe(401);
  });

  describe("a store that verifies buyers with base", () => {
    // Its time includes starting the second store (the fixture): the hook time limit, not 30 s.
    withVerifyingStore(
      "refuses purchases for passengers the base service does not know",
      { timeout: 120_000 },
      async ({ admin, cleanup, store: { url } }) => {
        const storeId = await createStore(admin, cleanup, "SHOP");
        const terminal = await enrolAndLogin("store", { store_id: storeId });
        cleanup.add(() => call("DELETE", `${BASE}/admin/store_terminals/${storeId}`, admin));
        const item = await call("POST", `${url}/store/item`, terminal.token, {
          name: "Tea",
          description: "Black tea",
          logo_url: "tea.jpg",
          balance: 3,
          price_penny: 9900,
          category: "food",
        });
        expect(item.status, JSON.stringify(item.body)).toBe(200);
        const passenger = await call("POST", `${BASE}/admin/user`, admin, {
          name: `E2E buyer ${randomUUID()}`,
        });
        expect(passenger.status).toBe(200);
        cleanup.add(() => call("DELETE", `${BASE}/admin/users/${passenger.body.id}`, admin));
        const robot = await robotSession(admin, cleanup);
        const buy = (userId: string) =>
          call("POST", `${url}/robot/store/${storeId}/make_purchase`, robot.token, {
            user_id: userId,
            items: [{ item_id: item.body.id, count: 1 }],
            is_default_ready: false,
          });
        expect(await buy(randomUUID())).toEqual({ status: 404, body: { detail: "User not found" } });
        const known = await buy(passenger.body.id);
        expect(known.status, JSON.stringify(known.body)).toBe(200);
        expect(known.body).toMatchObject({ user_id: passenger.body.id, total_penny: 9900 });
      },
    );
  });
});
