import request from "supertest";
import { describe, expect } from "vitest";
import { faceContract } from "../test/face-stub.js";
import { testWithServices } from "../test/fixtures.js";
import { API, adminToken, bearer, robotSession } from "../test/helpers.js";

/** The file's app with the face service speaking its contract and a store service that knows no store. */
const it = testWithServices.extend<{ tokens: { admin: string; robot: string } }>({
  tokens: [
    async ({ ctx, face, store }, use) => {
      face.handler = faceContract();
      store.handler = () => ({ status: 404, body: { detail: "Store not found" } });
      await use({ admin: await adminToken(ctx), robot: (await robotSession(ctx)).token });
    },
    { scope: "file" },
  ],
});

type Operation = {
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
};

/**
 * Every documented route, fed malformed path values and bodies with the right credentials: answers must be 4xx,
 * never 500 (the reference answered many of these with database errors).
 */
describe("no route answers malformed input with a server error", () => {
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

  it("answers 4xx for malformed path values and bodies on every route", async ({ ctx, tokens }) => {
    const { admin, robot } = tokens;
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
  }, 300_000); // ~1,000 sequential requests, each admin one audited; ~80 s alone, more on a loaded machine

  it("answers 400 (not 500) for a malformed percent-escape in a path parameter, with or without a token", async ({
    ctx,
    tokens: { admin, robot },
  }) => {
    const urls = [
      `${API}/robot/user/%E0%A4%A`,
      `${API}/robot/destination/%ZZ/hotels`,
      `${API}/robot/station/MOSCOW/user/%/current_ticket`,
      `${API}/admin/users/%C3`,
    ];
    for (const url of urls) {
      for (const headers of [bearer(url.includes("/robot/") ? robot : admin), {}]) {
        const res = await request(ctx.app).get(url).set(headers);
        expect(res.status, url).toBe(400);
        expect(res.body).toEqual({ detail: "Malformed percent-encoding in the URL path" });
      }
    }
    // Well-formed escapes still reach the routes.
    const hotels = await request(ctx.app).get(`${API}/robot/destination/S%50B/hotels`).set(bearer(robot));
    expect(hotels.status).toBe(200);
  });

  it("answers 422 for well-formed datetimes Postgres cannot hold (years outside 1-9999 in UTC)", async ({
    ctx,
    tokens: { admin, robot },
  }) => {
    const user = await request(ctx.app).post(`${API}/admin/user`).set(bearer(admin)).send({ name: "Edge" });
    expect(user.status).toBe(200);
    const seat = { user_id: user.body.id, train_number: 1, wagon_number: 1, place_number: 1 };
    for (const date of ["0000-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-23:59"]) {
      const calls = [
        request(ctx.app)
          .post(`${API}/admin/ticket`)
          .set(bearer(admin))
          .send({ ...seat, station_id: "MOSCOW", destination: "SPB", date, start_date: date }),
        request(ctx.app)
          .post(`${API}/robot/determine_destination`)
          .set(bearer(robot))
          .send({ user_id: user.body.id, train_number: 1, start_date: date }),
        request(ctx.app)
          .post(`${API}/robot/user/current_ticket`)
          .set(bearer(robot))
          .send({ user_id: user.body.id, train_id: 1, start_date: date }),
        request(ctx.app).get(`${API}/robot/train/1/stores`).query({ train_date: date }).set(bearer(robot)),
        request(ctx.app)
          .get(`${API}/robot/train/stores`)
          .set(bearer(robot))
          .send({ train_number: 1, train_date: date }),
      ];
      for (const [i, res] of (await Promise.all(calls)).entries()) {
        expect(res.status, `call ${i} with ${date}`).toBe(422);
        expect(res.body.detail[0].msg).toMatch(/valid datetime/);
      }
    }
  });
});
