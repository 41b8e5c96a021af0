import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import request from "supertest";
import { fileFixture } from "@rail/common/testing";
import { describe, expect, test as baseTest } from "vitest";
import { createTestContext, type TestContext } from "../../test/fixtures.js";
import { API, bearer, createItem, storeWithTerminal, serviceToken } from "../../test/helpers.js";

interface BaseCall {
  method: string;
  path: string;
  authorization: string | undefined;
}

/** A real HTTP server standing in for base's internal bindings route; `status` scripts its answer. */
async function startBase() {
  const calls: BaseCall[] = [];
  const state = { status: 200 };
  const server: Server = createServer((req, res) => {
    calls.push({ method: req.method ?? "", path: req.url ?? "", authorization: req.headers.authorization });
    res.writeHead(state.status, { "content-type": "application/json" });
    res.end(
      JSON.stringify(state.status === 200 ? { status: "OK", bindings_removed: 2 } : { detail: "down" }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/base_api/v1`,
    calls,
    state,
    close: () =>
      new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
type Base = Awaited<ReturnType<typeof startBase>>;

const it = baseTest.extend<{ base: Base; ctx: TestContext }>({
  base: fileFixture(startBase, (b) => b.close()),
  ctx: [
    async ({ base }, use) => {
      const ctx = await createTestContext({ UNBIND_IN_BASE: "true", BASE_API_URL: base.url });
      try {
        await use(ctx);
      } finally {
        await ctx.close();
      }
    },
    { scope: "file" },
  ],
});

describe("deleting a store makes base forget it first: bindings, terminal key (UNBIND_IN_BASE)", () => {
  it("asks base to forget the store with the service token, then deletes the store", async ({
    ctx,
    base,
  }) => {
    base.state.status = 200;
    const { store } = await storeWithTerminal(ctx);
    const res = await request(ctx.app)
      .delete(`${API}/admin/store/${store.id}`)
      .set("Authorization", bearer(serviceToken(ctx)));
    expect(res.status).toBe(200);
    expect(base.calls.at(-1)).toEqual({
      method: "DELETE",
      path: `/base_api/v1/internal/stores/${store.id}`,
      authorization: `Bearer ${ctx.config.INTERNAL_SERVICE_TOKEN}`,
    });
    expect(await ctx.db.store.count({ where: { id: store.id } })).toBe(0);
  });

  it("keeps the store (503, clear detail) while base cannot remove the bindings", async ({ ctx, base }) => {
    const { store, token } = await storeWithTerminal(ctx);
    await createItem(ctx, token);
    for (const status of [503, 401, 500]) {
      base.state.status = status;
      const res = await request(ctx.app)
        .delete(`${API}/admin/store/${store.id}`)
        .set("Authorization", bearer(serviceToken(ctx)));
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        detail:
          "Base service unavailable: the store's train bindings and terminal could not be removed, nothing was deleted",
      });
    }
    expect(await ctx.db.store.count({ where: { id: store.id } })).toBe(1);
    expect(await ctx.db.storeItem.count({ where: { storeId: store.id } })).toBe(1);
  });

  it("answers 404 for an unknown store without asking base", async ({ ctx, base }) => {
    base.state.status = 200;
    const before = base.calls.length;
    const res = await request(ctx.app)
      .delete(`${API}/admin/store/${randomUUID()}`)
      .set("Authorization", bearer(serviceToken(ctx)));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: "Store not found" });
    expect(base.calls.length).toBe(before);
  });
});
