import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { faceContract } from "../test/face-stub.js";
import { createTestContext, type TestContext } from "../test/fixtures.js";
import {
  API,
  adminToken,
  bearer,
  robotSession,
  startStubService,
  type StubService,
} from "../test/helpers.js";

type Operation = {
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
};

/**
 * Every documented route, fed malformed path values and bodies with the right credentials: answers must be 4xx,
 * never 500 (the reference answered many of these with database errors).
 */
describe("no route answers malformed input with a server error", () => {
  let ctx: TestContext;
  let face: StubService;
  let store: StubService;
  let admin: string;
  let robot: string;

  beforeAll(async () => {
    face = await startStubService();
    face.handler = faceContract();
    store = await startStubService();
    store.handler = () => ({ status: 404, body: { detail: "Store not found" } });
    ctx = await createTestContext({
      FACE_API_URL: `${face.url}/face_api/v1`,
      STORE_API_URL: `${store.url}/store_api/v1`,
    });
    admin = await adminToken(ctx);
    robot = (await robotSession(ctx)).token;
  });
  afterAll(async () => {
    await ctx?.close();
    await face?.close();
    await store?.close();
  });

  const PATH_VALUES = ["-1", "0", "x".repeat(300), "00000000-0000-0000-0000-000000000000", "%C3%BF", "1e99"];
  const bodiesFor = (props: string[]) => [
    undefined,
    {},
    [],
    "text",
    Object.fromEntries(props.map((p) => [p, -1])),
    Object.fromEntries(props.map((p) => [p, 1e300])),
    Object.fromEntries(props.map((p) => [p, null])),
    Object.fromEntries(props.map((p) => [p, "x".repeat(2000)])),
    Object.fromEntries(props.map((p) => [p, { nested: true }])),
    Object.fromEntries(props.map((p) => [p, "2026-13-45T99:99:99Z"])),
  ];

  it("answers 4xx for malformed path values and bodies on every route", async () => {
    const spec = (await request(ctx.app).get(`${API}/openapi.json`)).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    const failures: string[] = [];
    let calls = 0;
    for (const [path, methods] of Object.entries(spec.paths)) {
      if (path.startsWith("/frontend")) continue; // passenger API: Keycloak tokens, tested by its owner
      for (const [method, op] of Object.entries(methods)) {
        const props = Object.keys(op.requestBody?.content?.["application/json"]?.schema?.properties ?? {});
        const token = path.startsWith("/robot") ? robot : admin;
        for (const value of PATH_VALUES) {
          const url = API + path.replace(/\{[^}]+\}/g, value);
          for (const body of bodiesFor(props)) {
            const verb = method as "get" | "post" | "put" | "patch" | "delete";
            const req = request(ctx.app)[verb](url).set(bearer(token));
            const res = await (body === undefined ? req : req.send(body as object));
            calls++;
            if (res.status >= 500)
              failures.push(
                `${method.toUpperCase()} ${url.slice(0, 80)} ${JSON.stringify(body)?.slice(0, 60)} -> ${res.status}`,
              );
          }
          if (!path.includes("{")) break;
        }
      }
    }
    expect(calls).toBeGreaterThan(300);
    expect(failures).toEqual([]);
  }, 120_000);
});
