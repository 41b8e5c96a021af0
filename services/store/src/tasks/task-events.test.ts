import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { buildApp } from "../app.js";
import { createTestContext, type TestContext } from "../../test/fixtures.js";
import { bearer, createItem, robotToken, storeWithTerminal } from "../../test/helpers.js";
import { TASK_EVENTS_CHANNEL, TaskEventBus, type TaskEvent } from "./task-events.js";

const API = "/store_api/v1";

interface SseMessage {
  event: string;
  data: string;
}

/** A minimal SSE reader over fetch: collects messages and comment lines until closed. */
function openStream(baseUrl: string, path: string, token?: string) {
  const controller = new AbortController();
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  let ended = false;
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  const response = fetch(`${baseUrl}${API}${path}`, {
    headers: token ? { Authorization: bearer(token) } : {},
    signal: controller.signal,
  });
  const done = response.then(async (res) => {
    if (res.status !== 200 || !res.body) return;
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const msg: SseMessage = { event: "message", data: "" };
          let isMessage = false;
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) comments.push(line.slice(1).trim());
            else if (line.startsWith("event: ")) {
              msg.event = line.slice(7);
              isMessage = true;
            } else if (line.startsWith("data: ")) {
              msg.data = line.slice(6);
              isMessage = true;
            }
          }
          if (isMessage) messages.push(msg);
          wake();
        }
      }
    } catch {
      // aborted
    }
    ended = true;
    wake();
  });
  async function until<T>(pick: () => T | undefined, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = pick();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`SSE: timed out; got ${JSON.stringify(messages)}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }
  const stream = {
    response,
    messages,
    comments,
    get ended() {
      return ended;
    },
    /** The next task event of this type whose task matches. */
    event: (type: string, taskMatch: (e: TaskEvent) => boolean = () => true) =>
      until(() => {
        const m = messages.find((x) => x.event === `task.${type}` && taskMatch(JSON.parse(x.data)));
        return m ? (JSON.parse(m.data) as TaskEvent) : undefined;
      }),
    until,
    close: async () => {
      controller.abort();
      await done;
    },
  };
  opened.push(stream);
  return stream;
}
/** Streams of the current test, closed after it even when it fails. */
const opened: { close: () => Promise<void> }[] = [];

async function listen(app: ReturnType<typeof buildApp>): Promise<{ server: Server; url: string }> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("task events (SSE through Redis pub/sub)", () => {
  let ctx: TestContext;
  // Two replicas of the store over one database and one Redis, each with its own connections and bus.
  interface Replica {
    redis: Redis;
    bus: TaskEventBus;
    server: Server;
    url: string;
  }
  const replicas: Replica[] = [];

  beforeAll(async () => {
    ctx = await createTestContext({ TASK_EVENTS_HEARTBEAT_SECONDS: "0.2" });
    for (let i = 0; i < 2; i++) {
      const redis = new Redis(ctx.config.REDIS_URL, { maxRetriesPerRequest: 1 });
      const bus = new TaskEventBus(redis, ctx.logger);
      const app = buildApp({ ...ctx, redis, taskEvents: bus });
      replicas.push({ redis, bus, ...(await listen(app)) });
    }
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    for (const r of replicas) {
      r.server.closeAllConnections();
      await new Promise((resolve) => r.server.close(resolve));
      await r.bus.close();
      r.redis.disconnect();
    }
    await ctx?.close();
  });

  async function post(url: string, path: string, token: string, body: unknown) {
    const res = await fetch(`${url}${API}${path}`, {
      method: "POST",
      headers: { Authorization: bearer(token), "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  const put = (url: string, path: string, token: string) =>
    fetch(`${url}${API}${path}`, { method: "PUT", headers: { Authorization: bearer(token) } });

  it("a purchase and its ready/delivered changes made on one replica reach streams served by the other", async () => {
    const [a, b] = replicas as [Replica, Replica];
    const { store, token } = await storeWithTerminal(ctx);
    const item = await createItem(ctx, token, { balance: 5, name: "Tea" });
    const robot = await robotToken(ctx);
    const trainNumber = 4000 + Math.floor(Math.random() * 1000);

    const terminal = openStream(b.url, "/store/tasks/events", token);
    const robotStream = openStream(b.url, `/robot/tasks/events?train_number=${trainNumber}`, robot);
    const res = await terminal.response;
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(res.headers.get("x-accel-buffering")).toBe("no");
    await terminal.until(() => (terminal.comments.includes("connected") ? true : undefined));
    await robotStream.until(() => (robotStream.comments.includes("connected") ? true : undefined));

    const bought = await post(a.url, `/robot/store/${store.id}/make_purchase`, robot, {
      user_id: randomUUID(),
      items: [{ item_id: item.id, count: 2 }],
      is_default_ready: false,
      train_number: trainNumber,
    });
    expect(bought.status).toBe(200);

    const created = await terminal.event("created");
    expect(created.task).toMatchObject({
      store_id: store.id,
      status: "pending",
      train_number: trainNumber,
      purchase: { id: bought.body.id, items: [{ item_id: item.id, count: 2, name: "Tea" }] },
    });
    // The event is built from what the purchase wrote, without reading it back: it must be exactly the task
    // the terminal's list returns.
    const listed = await fetch(`${a.url}${API}/store/tasks`, { headers: { Authorization: bearer(token) } });
    const tasks = (await listed.json()) as { items: { id: string }[] };
    expect(created.task).toEqual(tasks.items.find((t) => t.id === created.task.id));
    // A pending task is not for robots yet.
    expect(robotStream.messages).toEqual([]);

    expect((await put(a.url, `/store/task/${created.task.id}/ready`, token)).status).toBe(200);
    const ready = await robotStream.event("ready", (e) => e.task.id === created.task.id);
    expect(ready.task).toMatchObject({ status: "ready", is_ready: true, store_id: store.id });
    await terminal.event("ready", (e) => e.task.id === created.task.id);

    expect((await put(a.url, `/robot/task/${created.task.id}/delivered`, robot)).status).toBe(200);
    const delivered = await robotStream.event("delivered");
    expect(delivered.task).toMatchObject({ id: created.task.id, status: "delivered" });
    await terminal.event("delivered");

    // Heartbeats keep the streams alive.
    await terminal.until(() => (terminal.comments.includes("ping") ? true : undefined));
    await terminal.close();
    await robotStream.close();
  });

  it("streams only the terminal's own store and only the robot's train", async () => {
    const [a, b] = replicas as [Replica, Replica];
    const mine = await storeWithTerminal(ctx);
    const other = await storeWithTerminal(ctx);
    const otherItem = await createItem(ctx, other.token, { balance: 5 });
    const myItem = await createItem(ctx, mine.token, { balance: 5 });
    const robot = await robotToken(ctx);
    const train = 6000 + Math.floor(Math.random() * 1000);
    const terminal = openStream(b.url, "/store/tasks/events", mine.token);
    const robotStream = openStream(b.url, `/robot/tasks/events?train_number=${train}`, robot);
    await terminal.until(() => (terminal.comments.includes("connected") ? true : undefined));
    await robotStream.until(() => (robotStream.comments.includes("connected") ? true : undefined));

    // Another store's purchase for another train (robot purchases start ready by default).
    await post(a.url, `/robot/store/${other.store.id}/make_purchase`, robot, {
      user_id: randomUUID(),
      items: [{ item_id: otherItem.id, count: 1 }],
      is_default_ready: true,
      train_number: train + 1,
    });
    // Mine, for the robot's train, ready at once: the robot hears it as created + ready.
    const mineBought = await post(a.url, `/robot/store/${mine.store.id}/make_purchase`, robot, {
      user_id: randomUUID(),
      items: [{ item_id: myItem.id, count: 1 }],
      is_default_ready: true,
      train_number: train,
    });
    expect(mineBought.status, JSON.stringify(mineBought.body)).toBe(200);
    const seen = await terminal.event("created");
    expect(seen.task.purchase.id).toBe(mineBought.body.id);
    const robotSeen = await robotStream.event("created");
    expect(robotSeen.task).toMatchObject({ status: "ready", train_number: train });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(terminal.messages.map((m) => JSON.parse(m.data).task.store_id)).toEqual([mine.store.id]);
    expect(robotStream.messages.map((m) => JSON.parse(m.data).task.train_number)).toEqual([train]);
    await terminal.close();
    await robotStream.close();
  });

  it("needs the right session (401) and validates the robot's query (422)", async () => {
    const [, b] = replicas as [Replica, Replica];
    expect((await fetch(`${b.url}${API}/store/tasks/events`)).status).toBe(401);
    const robot = await robotToken(ctx);
    const asTerminal = await fetch(`${b.url}${API}/store/tasks/events`, {
      headers: { Authorization: bearer(robot) },
    });
    expect(asTerminal.status).toBe(401);
    const noTrain = await fetch(`${b.url}${API}/robot/tasks/events`, {
      headers: { Authorization: bearer(robot) },
    });
    expect(noTrain.status).toBe(422);
  });

  it("ends the stream when the terminal's session is revoked, and unsubscribes when clients leave", async () => {
    const [, b] = replicas as [Replica, Replica];
    const { store, token } = await storeWithTerminal(ctx);
    const before = b.bus.listenerCount;
    const stream = openStream(b.url, "/store/tasks/events", token);
    await stream.until(() => (stream.comments.includes("connected") ? true : undefined));
    expect(b.bus.listenerCount).toBe(before + 1);

    await ctx.sessions.revokeSubject("store", store.id);
    await stream.until(() => stream.messages.find((m) => m.event === "session.ended"));
    await stream.until(() => (stream.ended ? true : undefined));
    await stream.until(() => (b.bus.listenerCount === before ? true : undefined));

    // A client that simply goes away is unsubscribed too; with no listener left the replica leaves the channel.
    const subscribers = async () =>
      ((await b.redis.pubsub("NUMSUB", TASK_EVENTS_CHANNEL)) as [string, number])[1];
    const again = openStream(b.url, "/store/tasks/events", (await storeWithTerminal(ctx)).token);
    await again.until(() => (again.comments.includes("connected") ? true : undefined));
    const whileListening = await subscribers();
    await again.close();
    await again.until(() => (b.bus.listenerCount === 0 ? true : undefined));
    for (let i = 0; i < 50 && (await subscribers()) !== whileListening - 1; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await subscribers()).toBe(whileListening - 1);
  });
  it("publishes the events of one turn as one Redis message, in order; every listener gets each event", async () => {
    const raw = new Redis(ctx.config.REDIS_URL, { maxRetriesPerRequest: 1 });
    const messages: string[] = [];
    raw.on("message", (_channel: string, message: string) => messages.push(message));
    await raw.subscribe(TASK_EVENTS_CHANNEL);
    const received: string[] = [];
    const stop = await replicas[1]!.bus.subscribe((e) => received.push(String(e.task.id)));
    const marker = `turn-${Date.now()}`;
    const event = (n: number) =>
      ({ type: "created", task: { id: `${marker}-${n}` } }) as unknown as TaskEvent;
    try {
      // Something that is no event on the channel reaches no listener (and breaks none).
      const publisher = raw.duplicate();
      await publisher.publish(TASK_EVENTS_CHANNEL, JSON.stringify([42, { type: "created" }, null]));
      publisher.disconnect();
      // Three in one turn (as a purchase batch announces its tasks), then one alone.
      await Promise.all([1, 2, 3].map((n) => replicas[0]!.bus.publish(event(n))));
      await replicas[0]!.bus.publish(event(4));
      const ids = [1, 2, 3, 4].map((n) => `${marker}-${n}`);
      await vi.waitFor(() => expect(received.filter((id) => id.startsWith(marker))).toEqual(ids));
      const ours = () => messages.filter((m) => m.includes(marker)).map((m) => JSON.parse(m) as unknown);
      await vi.waitFor(() => expect(ours()).toEqual([[event(1), event(2), event(3)], event(4)]));
    } finally {
      stop();
      raw.disconnect();
    }
  });

  it("answers 503 rather than hanging when Redis cannot be subscribed to, and keeps no listener", async () => {
    const dead = new Redis("redis://127.0.0.1:9", {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: () => 200,
    });
    const bus = new TaskEventBus(dead, ctx.logger);
    try {
      await expect(bus.subscribe(() => undefined)).rejects.toMatchObject({
        status: 503,
        message: "Redis unavailable",
      });
      expect(bus.listenerCount).toBe(0);
    } finally {
      await bus.close();
      dead.disconnect();
    }
  });
});
