import type { Request, Response } from "express";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { HttpError, withTimeout } from "@rail/common";
import type { TaskResponse } from "./tasks.schemas.js";

const SUBSCRIBE_TIMEOUT_MS = 3_000;

/**
 * One Redis channel for every store's task events; each replica filters for its own listeners. `v2`: a message may
 * hold an array of events (see `publish`); replicas of the older code listen on `store:task-events`, where such a
 * message would reach listeners that expect one event, so during a rolling update the two kinds simply do not hear
 * each other (streams are hints; clients re-read the list when they reconnect).
 */
export const TASK_EVENTS_CHANNEL = "store:task-events:v2";

export type TaskEventType = "created" | "ready" | "delivered";

/** What the streams carry: the change and the task as `GET /store/tasks` lists it (after the change). */
export interface TaskEvent {
  type: TaskEventType;
  task: TaskResponse;
}

type Listener = (event: TaskEvent) => void;

/**
 * Task events fanned out through Redis pub/sub, so a purchase made on one store replica reaches the terminals and
 * robots streaming from any other. Publishing uses the app's Redis client; subscribing needs a connection of its
 * own (a subscribed connection can issue no other command), opened on the first listener — not in the constructor,
 * so building the app stays free of I/O — and unsubscribed when the last listener leaves. Events are hints for
 * live screens, not a queue: one published while Redis is down is lost, so clients re-read the task list
 * whenever their stream (re)connects.
 */
export class TaskEventBus {
  private readonly listeners = new Set<Listener>();
  private subscriber: Redis | undefined;
  private subscribed = false;
  /** Events published in this turn of the event loop, and their PUBLISH (see `publish`). */
  private pending: { events: TaskEvent[]; sent: Promise<void> } | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
  ) {}

  /**
   * Publishes the event together with the others published in the same turn of the event loop (a purchase batch
   * announces all its new tasks at once): one PUBLISH of a JSON array instead of one command per event, whose cost
   * was a measurable share of a purchase (packages/bench CHANGES.md); a lone event goes out as the object itself.
   * Resolves or rejects with that PUBLISH.
   */
  publish(event: TaskEvent): Promise<void> {
    if (!this.pending) {
      const events: TaskEvent[] = [];
      const sent = new Promise<void>((resolve, reject) =>
        setImmediate(() => {
          this.pending = undefined;
          const message = JSON.stringify(events.length === 1 ? events[0] : events);
          this.redis.publish(TASK_EVENTS_CHANNEL, message).then(() => resolve(), reject);
        }),
      );
      this.pending = { events, sent };
    }
    this.pending.events.push(event);
    return this.pending.sent;
  }

  /** Starts receiving; the returned function stops it (called when the HTTP client goes away). */
  async subscribe(listener: Listener): Promise<() => void> {
    this.listeners.add(listener);
    try {
      await withTimeout(this.ensureSubscribed(), SUBSCRIBE_TIMEOUT_MS, "Redis subscription timed out");
    } catch {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) void this.unsubscribeIfIdle();
      throw new HttpError(503, "Redis unavailable");
    }
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      this.listeners.delete(listener);
      if (this.listeners.size === 0) void this.unsubscribeIfIdle();
    };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    this.subscribed = false;
    subscriber?.disconnect();
  }

  private async ensureSubscribed(): Promise<void> {
    if (!this.subscriber) {
      // Unlike the request client, this one queues commands while (re)connecting and resubscribes by itself
      // after a Redis restart (ioredis autoResubscribe).
      const subscriber = this.redis.duplicate({
        enableOfflineQueue: true,
        maxRetriesPerRequest: null,
        commandTimeout: undefined,
      });
      subscriber.on("error", (err: Error) =>
        this.logger.warn({ err: err.message }, "task events: redis error"),
      );
      subscriber.on("message", (_channel: string, message: string) => this.dispatch(message));
      this.subscriber = subscriber;
    }
    if (!this.subscribed) {
      this.subscribed = true;
      try {
        await this.subscriber.subscribe(TASK_EVENTS_CHANNEL);
      } catch (err) {
        this.subscribed = false;
        throw err;
      }
    }
  }

  private async unsubscribeIfIdle(): Promise<void> {
    if (this.listeners.size > 0 || !this.subscriber || !this.subscribed) return;
    this.subscribed = false;
    try {
      await this.subscriber.unsubscribe(TASK_EVENTS_CHANNEL);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, "task events: unsubscribe failed");
    }
  }

  /** A message is one event or, from `publish`, an array of the events of one turn. */
  private dispatch(message: string): void {
    let parsed: TaskEvent | TaskEvent[];
    try {
      parsed = JSON.parse(message) as TaskEvent | TaskEvent[];
    } catch {
      return;
    }
    for (const event of Array.isArray(parsed) ? parsed : [parsed]) {
      // Whatever else arrives on the channel must not reach listeners that read `event.task`.
      if (typeof event?.task !== "object" || event.task === null) continue;
      for (const listener of this.listeners) listener(event);
    }
  }
}

export interface EventStreamOptions {
  bus: TaskEventBus;
  /** Which events this client gets. */
  accept: (event: TaskEvent) => boolean;
  heartbeatMs: number;
  /** Checked at every heartbeat: false (e.g. the session was revoked) ends the stream. */
  stillAllowed: () => Promise<boolean>;
}

/**
 * Serves a `text/event-stream` until the client disconnects: `event: task.<type>` with the event as JSON in
 * `data`, a comment line as heartbeat (keeps proxies from timing the stream out, and detects dead clients).
 * `X-Accel-Buffering: no` makes nginx pass every event on at once instead of buffering the response.
 */
export async function streamTaskEvents(req: Request, res: Response, opts: EventStreamOptions): Promise<void> {
  const pending: TaskEvent[] = [];
  let ready = false;
  const send = (event: TaskEvent) => {
    if (!opts.accept(event)) return;
    if (!ready) pending.push(event);
    else write(event);
  };
  const write = (event: TaskEvent) =>
    res.write(`event: task.${event.type}\nid: ${event.task.id}\ndata: ${JSON.stringify(event)}\n\n`);

  // Subscribe before answering, so a Redis outage is a 503 (via the error handler) rather than a silent stream.
  const unsubscribe = await opts.bus.subscribe(send);
  res.status(200);
  res.setHeader("Content-Type", "text/event-stream; charset=utf-8");
  res.setHeader("Cache-Control", "no-cache, no-transform");
  res.setHeader("X-Accel-Buffering", "no");
  res.flushHeaders();
  res.write("retry: 3000\n: connected\n\n");
  ready = true;
  for (const event of pending.splice(0)) write(event);

  await new Promise<void>((resolve) => {
    let closed = false;
    const finish = () => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      unsubscribe();
      resolve();
    };
    const timer = setInterval(() => {
      void opts
        .stillAllowed()
        .then((allowed) => {
          if (closed) return;
          if (allowed) res.write(": ping\n\n");
          else {
            res.write('event: session.ended\ndata: {"detail":"Invalid credentials"}\n\n');
            res.end();
            finish();
          }
        })
        .catch(() => {
          // Redis briefly unavailable: keep the stream, try again at the next heartbeat.
          if (!closed) res.write(": ping\n\n");
        });
    }, opts.heartbeatMs);
    req.on("close", finish);
    res.on("close", finish);
  });
}
