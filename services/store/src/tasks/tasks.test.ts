import { randomUUID } from "node:crypto";
import request from "supertest";
import { describe, expect } from "vitest";
import { testWithRobot, type TestContext } from "../../test/fixtures.js";
import { Privilege } from "@rail/common";
import { API, bearer, createItem, engineerToken, robotToken, storeWithTerminal } from "../../test/helpers.js";

/** Helpers over the file's app for each test, buying as the file's robot. */
const helpers = (ctx: TestContext, robot: string) => {
  async function buy(storeId: string, itemId: string, extra: object = {}) {
    const res = await request(ctx.app)
      .post(`${API}/robot/store/${storeId}/make_purchase`)
      .set("Authorization", bearer(robot))
      .send({
        user_id: randomUUID(),
        items: [{ item_id: itemId, count: 1 }],
        is_default_ready: false,
        ...extra,
      });
    if (res.status !== 200) throw new Error(`buy: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; user_id: string };
  }
  const storeTasks = (token: string, query = "") =>
    request(ctx.app).get(`${API}/store/tasks${query}`).set("Authorization", bearer(token));
  return { buy, storeTasks };
};

const it = testWithRobot.extend<{ h: ReturnType<typeof helpers> }>({
  h: async ({ ctx, robot }, use) => use(helpers(ctx, robot)),
});

describe("fulfilment tasks", () => {
  it("walks a task through pending -> ready -> delivered", async ({ ctx, robot, h: { buy, storeTasks } }) => {
    const { store, token } = await storeWithTerminal(ctx);
    const item = await createItem(ctx, token, { balance: 5, name: "Soup" });
    const purchase = await buy(store.id, item.id, { train_number: 1012, additional_data: { wagon: 7 } });

    const pending = await storeTasks(token);
    expect(pending.status).toBe(200);
    expect(pending.body.total).toBe(1);
    const task = pending.body.items[0];
    expect(task).toMatchObject({
      store_id: store.id,
      user_id: purchase.user_id,
      is_ready: false,
      status: "pending",
      ready_at: null,
      delivered_at: null,
      train_number: 1012,
      additional_data: { wagon: 7 },
      purchase: { id: purchase.id, items: [{ item_id: item.id, count: 1, name: "Soup" }] },
    });

    // A pending task cannot be delivered.
    const early = await request(ctx.app)
      .put(`${API}/robot/task/${task.id}/delivered`)
      .set("Authorization", bearer(robot));
    expect(early.status).toBe(409);
    expect(early.body).toEqual({ detail: "Task is not ready" });

    expect(
      (
        await request(ctx.app)
          .get(`${API}/robot/tasks/ready?train_number=1012`)
          .set("Authorization", bearer(robot))
      ).body.total,
    ).toBe(0);

    const ready = await request(ctx.app)
      .put(`${API}/store/task/${task.id}/ready`)
      .set("Authorization", bearer(token));
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: "OK" });
    expect((await storeTasks(token)).body.total).toBe(0);
    const all = await storeTasks(token, "?also_ready_tasks=true");
    expect(all.body.items[0]).toMatchObject({ id: task.id, is_ready: true, status: "ready" });
    expect(all.body.items[0].ready_at).not.toBeNull();

    const deliverable = await request(ctx.app)
      .get(`${API}/robot/tasks/ready?train_number=1012`)
      .set("Authorization", bearer(robot));
    expect(deliverable.body.items.map((t: { id: string }) => t.id)).toEqual([task.id]);

    const delivered = await request(ctx.app)
      .put(`${API}/robot/task/${task.id}/delivered`)
      .set("Authorization", bearer(robot));
    expect(delivered.status).toBe(200);
    expect(delivered.body).toMatchObject({ id: task.id, status: "delivered", is_ready: true });
    expect(Date.parse(delivered.body.delivered_at)).toBeGreaterThan(0);
    // Robots retry: delivering again changes nothing.
    const again = await request(ctx.app)
      .put(`${API}/robot/task/${task.id}/delivered`)
      .set("Authorization", bearer(robot));
    expect(again.status).toBe(200);
    expect(again.body.delivered_at).toBe(delivered.body.delivered_at);

    expect(
      (
        await request(ctx.app)
          .get(`${API}/robot/tasks/ready?train_number=1012`)
          .set("Authorization", bearer(robot))
      ).body.total,
    ).toBe(0);
    expect((await storeTasks(token, "?also_ready_tasks=true")).body.items[0].status).toBe("delivered");
  });

  it("lists only pending tasks by default, oldest first, and all of them with also_ready_tasks=true", async ({
    ctx,
    h: { buy, storeTasks },
  }) => {
    const { store, token } = await storeWithTerminal(ctx);
    const item = await createItem(ctx, token, { balance: 10 });
    const first = await buy(store.id, item.id);
    await buy(store.id, item.id, { is_default_ready: true });
    const third = await buy(store.id, item.id);
    const pending = await storeTasks(token);
    expect(pending.body.items.map((t: { purchase: { id: string } }) => t.purchase.id)).toEqual([
      first.id,
      third.id,
    ]);
    const all = await storeTasks(token, "?also_ready_tasks=true&size=2");
    expect(all.body).toMatchObject({ total: 3, pages: 2 });
    // Spellings pydantic accepted, in any case (Python clients send `True`).
    for (const spelling of ["True", "TRUE", "t", "Y", "On", "1"]) {
      const res = await storeTasks(token, `?also_ready_tasks=${spelling}`);
      expect(res.status, spelling).toBe(200);
      expect(res.body.total, spelling).toBe(3);
    }
    for (const spelling of ["False", "F", "N", "Off", "0"]) {
      const res = await storeTasks(token, `?also_ready_tasks=${spelling}`);
      expect(res.status, spelling).toBe(200);
      expect(res.body.total, spelling).toBe(2);
    }
    const bad = await storeTasks(token, "?also_ready_tasks=maybe");
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0].loc).toEqual(["query", "also_ready_tasks"]);
  });

  it("lets only the terminal of the task's store mark it ready", async ({
    ctx,
    robot,
    h: { buy, storeTasks },
  }) => {
    const { store, token } = await storeWithTerminal(ctx);
    const other = await storeWithTerminal(ctx);
    const item = await createItem(ctx, token, { balance: 5 });
    await buy(store.id, item.id);
    const taskId = (await storeTasks(token)).body.items[0].id;

    expect((await request(ctx.app).put(`${API}/store/task/${taskId}/ready`)).status).toBe(401);
    expect(
      (await request(ctx.app).put(`${API}/store/task/${taskId}/ready`).set("Authorization", bearer(robot)))
        .status,
    ).toBe(401);
    const foreign = await request(ctx.app)
      .put(`${API}/store/task/${taskId}/ready`)
      .set("Authorization", bearer(other.token));
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual({ detail: "Task not found" });
    expect((await storeTasks(token)).body.items[0].is_ready).toBe(false);
    expect((await storeTasks(other.token, "?also_ready_tasks=true")).body.total).toBe(0);

    const missing = await request(ctx.app)
      .put(`${API}/store/task/${randomUUID()}/ready`)
      .set("Authorization", bearer(token));
    expect(missing.status).toBe(404);
  });

  it("also serves PUT /store/task/{id}, the path the reference's DebugConsole uses to mark a task done", async ({
    ctx,
    h: { buy, storeTasks },
  }) => {
    const { store, token } = await storeWithTerminal(ctx);
    const other = await storeWithTerminal(ctx);
    const item = await createItem(ctx, token, { balance: 5 });
    await buy(store.id, item.id);
    const taskId = (await storeTasks(token)).body.items[0].id;

    expect((await request(ctx.app).put(`${API}/store/task/${taskId}`)).status).toBe(401);
    const foreign = await request(ctx.app)
      .put(`${API}/store/task/${taskId}`)
      .set("Authorization", bearer(other.token));
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual({ detail: "Task not found" });
    const bad = await request(ctx.app).put(`${API}/store/task/nope`).set("Authorization", bearer(token));
    expect(bad.status).toBe(422);

    const done = await request(ctx.app)
      .put(`${API}/store/task/${taskId}`)
      .set("Authorization", bearer(token));
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ status: "OK" });
    expect((await storeTasks(token)).body.total).toBe(0);
    const all = await storeTasks(token, "?also_ready_tasks=1");
    expect(all.body.items[0]).toMatchObject({ id: taskId, is_ready: true, status: "ready" });
  });

  it("filters deliverable tasks by train and optionally by store", async ({ ctx, robot, h: { buy } }) => {
    const a = await storeWithTerminal(ctx);
    const b = await storeWithTerminal(ctx);
    const itemA = await createItem(ctx, a.token, { balance: 5 });
    const itemB = await createItem(ctx, b.token, { balance: 5 });
    const onTrain = await buy(a.store.id, itemA.id, { train_number: 2015, is_default_ready: true });
    const otherStore = await buy(b.store.id, itemB.id, { train_number: 2015, is_default_ready: true });
    await buy(a.store.id, itemA.id, { train_number: 2014, is_default_ready: true });
    const res = await request(ctx.app)
      .get(`${API}/robot/tasks/ready?train_number=2015`)
      .set("Authorization", bearer(robot));
    expect(res.body.items.map((t: { purchase: { id: string } }) => t.purchase.id)).toEqual([
      onTrain.id,
      otherStore.id,
    ]);
    const byStore = await request(ctx.app)
      .get(`${API}/robot/tasks/ready?train_number=2015&store_id=${b.store.id}`)
      .set("Authorization", bearer(robot));
    expect(byStore.body.items.map((t: { purchase: { id: string } }) => t.purchase.id)).toEqual([
      otherStore.id,
    ]);
    const noTrain = await request(ctx.app)
      .get(`${API}/robot/tasks/ready`)
      .set("Authorization", bearer(robot));
    expect(noTrain.status).toBe(422);
    const terminal = await request(ctx.app)
      .get(`${API}/robot/tasks/ready?train_number=2015`)
      .set("Authorization", bearer(a.token));
    expect(terminal.status).toBe(401);
  });

  it("answers 404 when delivering an unknown task and refuses delivery before ready in the database", async ({
    ctx,
    robot,
    h: { buy },
  }) => {
    const missing = await request(ctx.app)
      .put(`${API}/robot/task/${randomUUID()}/delivered`)
      .set("Authorization", bearer(robot));
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: "Task not found" });
    const { store, token } = await storeWithTerminal(ctx);
    const item = await createItem(ctx, token, { balance: 5 });
    await buy(store.id, item.id);
    const task = await ctx.db.task.findFirstOrThrow({ where: { storeId: store.id } });
    await expect(
      ctx.db.task.update({ where: { id: task.id }, data: { deliveredAt: new Date() } }),
    ).rejects.toThrow();
  });
});

describe("a store's tasks for engineers (GET /admin/store/{id}/tasks, PUT …/task/{id}/ready)", () => {
  it("lists a store's tasks and marks one ready with an ADMIN engineer token, scoped by store", async ({
    ctx,
  }) => {
    const { store, token } = await storeWithTerminal(ctx);
    const other = await storeWithTerminal(ctx);
    const item = await createItem(ctx, token, { balance: 5 });
    const robot = await robotToken(ctx);
    const bought = await request(ctx.app)
      .post(`${API}/robot/store/${store.id}/make_purchase`)
      .set("Authorization", bearer(robot))
      .send({ user_id: randomUUID(), items: [{ item_id: item.id, count: 1 }], is_default_ready: false });
    expect(bought.status).toBe(200);
    const admin = bearer(await engineerToken(ctx, Privilege.ADMIN));

    const pending = await request(ctx.app)
      .get(`${API}/admin/store/${store.id}/tasks`)
      .set("Authorization", admin);
    expect(pending.status).toBe(200);
    expect(pending.body).toMatchObject({ total: 1, items: [{ store_id: store.id, is_ready: false }] });
    const taskId = pending.body.items[0].id;

    const foreign = await request(ctx.app)
      .put(`${API}/admin/store/${other.store.id}/task/${taskId}/ready`)
      .set("Authorization", admin);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual({ detail: "Task not found" });
    const asTerminal = await request(ctx.app)
      .put(`${API}/admin/store/${store.id}/task/${taskId}/ready`)
      .set("Authorization", bearer(token));
    expect(asTerminal.status).toBe(401);

    const done = await request(ctx.app)
      .put(`${API}/admin/store/${store.id}/task/${taskId}/ready`)
      .set("Authorization", admin);
    expect(done.body).toEqual({ status: "OK" });
    expect(
      (await request(ctx.app).get(`${API}/admin/store/${store.id}/tasks`).set("Authorization", admin)).body
        .total,
    ).toBe(0);
    const all = await request(ctx.app)
      .get(`${API}/admin/store/${store.id}/tasks?also_ready_tasks=true`)
      .set("Authorization", admin);
    expect(all.body.items).toEqual([
      expect.objectContaining({ id: taskId, is_ready: true, status: "ready" }),
    ]);
  });
});
