import { afterEach, describe, expect, it, vi } from "vitest";
import { followTaskEvents } from "./TerminalApp.js";

afterEach(() => vi.unstubAllGlobals());

/** A text/event-stream response that sends `chunks` and then stays open. */
function stream(chunks: string[]) {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
    },
  });
  return new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } });
}

describe("followTaskEvents", () => {
  it("re-reads on connect and on every task event (not on pings), sending the session token", async () => {
    const fetchMock = vi.fn(async () =>
      stream([
        ": ping\n\n",
        'event: task.created\nid: t1\ndata: {"type":"created"}\n\n',
        'event: task.ready\nid: t1\ndata: {"type":',
        '"ready"}\n\n',
      ]),
    );
    vi.stubGlobal("fetch", fetchMock);
    const onEvent = vi.fn();
    const stop = followTaskEvents(
      "/store_api/v1/store/tasks/events",
      () => "tok",
      onEvent,
      () => {},
    );
    await vi.waitFor(() => expect(onEvent).toHaveBeenCalledTimes(3)); // connect + created + ready
    stop();
    const [, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect((init.headers as Record<string, string>).Authorization).toBe("Bearer tok");
  });

  it("drops an ended session so the queue signs in again", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response("", { status: 401 })),
    );
    const onUnauthorized = vi.fn();
    const onEvent = vi.fn();
    const stop = followTaskEvents("/x", () => "old", onEvent, onUnauthorized);
    await vi.waitFor(() => expect(onUnauthorized).toHaveBeenCalled());
    expect(onEvent).toHaveBeenCalled();
    stop();
  });
});
