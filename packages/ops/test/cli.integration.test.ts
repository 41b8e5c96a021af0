/**
 * The CLI against the running stack through nginx (`scripts/stack up`), as the bootstrap engineer. Everything
 * created here is deleted again, also when a test fails half-way.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadStackEnv } from "@rail/common/testing";
import { ops } from "./helpers.js";

const STACK = { ...loadStackEnv(), ...process.env };
const URL_ = `http://127.0.0.1:${STACK.RAIL_HTTP_PORT ?? "8080"}`;
const ENV = {
  RAIL_OPS_URL: URL_,
  RAIL_OPS_LOGIN: STACK.BOOTSTRAP_ENGINEER_LOGIN,
  RAIL_OPS_PASSWORD: STACK.BOOTSTRAP_ENGINEER_PASSWORD,
};
const dir = mkdtempSync(path.join(os.tmpdir(), "ops-it-"));
const cleanup: string[][] = [];

/** Runs the CLI as the engineer with --json and parses the output. */
async function opsJson<T = Record<string, unknown>>(argv: string[]): Promise<T> {
  const r = await ops(["--json", ...argv], ENV);
  if (r.code !== 0) throw new Error(`ops ${argv.join(" ")} → ${r.code}\n${r.err}${r.out}`);
  return JSON.parse(r.out) as T;
}

async function api(method: string, url: string, token: string, body?: unknown) {
  const res = await fetch(`${URL_}${url}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON under test
  return { status: res.status, body: (await res.json()) as any };
}

afterAll(async () => {
  for (const argv of cleanup.reverse()) await ops(argv, ENV);
  rmSync(dir, { recursive: true, force: true });
});

describe("pnpm ops against the running stack", () => {
  it("creates engineers, sets privileges and cards, and passes the server's detail on with exit 1", async () => {
    const login = `ops-test-${randomUUID().slice(0, 8)}`;
    cleanup.push(["engineers", "delete", login]);
    const created = await opsJson<{ id: string; login: string; password: string }>([
      "engineers",
      "create",
      login,
      "-p",
      "ROBOT_LOGIN",
    ]);
    expect(created).toMatchObject({ login, privileges: "ROBOT_LOGIN" });
    // The generated password is real: the new engineer can log in with it.
    const asNew = await ops(["token", "engineer"], {
      ...ENV,
      RAIL_OPS_LOGIN: login,
      RAIL_OPS_PASSWORD: created.password,
    });
    expect(asNew.code, asNew.err).toBe(0);
    expect(asNew.out.trim()).toMatch(/^\S{20,}$/);

    const listed = await opsJson<{ id: string; login: string }[]>(["engineers", "list"]);
    expect(listed).toContainEqual({ id: created.id, login });
    const table = await ops(["engineers", "list"], ENV);
    expect(table.out).toMatch(new RegExp(`│ ${created.id} │ ${login}\\s+│`));

    expect(await opsJson(["engineers", "privileges", login, "ROBOT_ADMIN", "STORE_LOGIN"])).toMatchObject({
      privileges: "ROBOT_ADMIN STORE_LOGIN",
    });
    // The old session ended with the privilege change.
    const stale = await api("GET", "/base_api/v1/admin/engineers", asNew.out.trim());
    expect(stale.status).toBe(401);

    const card = `card-${randomUUID()}`;
    expect(await opsJson(["engineers", "card", created.id, card])).toMatchObject({ card: "set" });
    const other = `ops-test-${randomUUID().slice(0, 8)}`;
    cleanup.push(["engineers", "delete", other]);
    await opsJson(["engineers", "create", other]);
    const taken = await ops(["engineers", "card", other, card], ENV);
    expect(taken.code).toBe(1);
    expect(taken.err).toContain("Auth card already in use (HTTP 409)");
    expect(await opsJson(["engineers", "card", created.id, "--remove"])).toMatchObject({ card: "(removed)" });

    expect(await opsJson(["engineers", "delete", login])).toMatchObject({ deleted: true });
    const again = await ops(["engineers", "delete", login], ENV);
    expect(again.code).toBe(1);
    expect(again.err).toContain(`no engineer ${login}`);
  });

  it("enrols a robot with a 0600 key file and gets its session token by challenge/response", async () => {
    const keyFile = path.join(dir, "robot.pem");
    const robot = await opsJson<{ id: string; key_file: string }>([
      "robots",
      "enrol",
      "--key-out",
      keyFile,
      "--model-id",
      `ops-${randomUUID()}`,
    ]);
    cleanup.push(["robots", "delete", robot.id]);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect((await opsJson<{ id: string }[]>(["robots", "list"])).map((r) => r.id)).toContain(robot.id);

    const token = await ops(["token", "robot", robot.id, "--key", keyFile], ENV);
    expect(token.code, token.err).toBe(0);
    const stores = await api("POST", "/store_api/v1/robot/stores/list", token.out.trim(), { ids: [] });
    expect(stores).toEqual({ status: 200, body: [] });

    // Enrolling over an existing key file is refused before anything is enrolled.
    const twice = await ops(["robots", "enrol", "--key-out", keyFile, "--model-id", "x"], ENV);
    expect(twice.code).toBe(1);
    expect(twice.err).toContain("exists; choose another --key-out or add --force");

    await opsJson(["robots", "delete", robot.id]);
    const gone = await ops(["token", "robot", robot.id, "--key", keyFile], ENV);
    expect(gone.code).toBe(1);
    expect((await api("POST", "/store_api/v1/robot/stores/list", token.out.trim(), { ids: [] })).status).toBe(
      401,
    );
  });

  it("imports items all or nothing, reports rejected rows, and lists and completes a store's tasks", async () => {
    const store = await opsJson<{ id: string }>([
      "stores",
      "create",
      `Ops test shop ${randomUUID().slice(0, 8)}`,
    ]);
    cleanup.push(["stores", "delete", store.id]);
    const keyFile = path.join(dir, "terminal.pem");
    await opsJson(["terminals", "enrol", "--store", store.id, "--key-out", keyFile]);
    cleanup.push(["terminals", "delete", store.id]);
    const terminal = (await ops(["token", "terminal", store.id, "--key", keyFile], ENV)).out.trim();
    const items = async () =>
      (await api("GET", "/store_api/v1/store/items?size=100", terminal)).body.items as {
        id: string;
        name: string;
      }[];

    const good = path.join(dir, "good.csv");
    writeFileSync(
      good,
      "name,description,logo_url,balance,price_penny,category\n" +
        "Tea,Black tea,/static/tea.png,10,9900,food\n" +
        "Magnet,Train magnet,/static/magnet.png,5,45000,train_souvenirs\n",
    );
    const imported = await ops(["items", "import", store.id, good], ENV);
    expect(imported.code, imported.err).toBe(0);
    expect(imported.out).toContain(`imported 2 items into store ${store.id}`);
    expect((await items()).map((i) => i.name).sort()).toEqual(["Magnet", "Tea"]);

    const bad = path.join(dir, "bad.csv");
    writeFileSync(
      bad,
      "name,description,logo_url,balance,price_penny,category\n" +
        "Coffee,,/static/c.png,3,12000,food\n" +
        "Mug,,/static/m.png,2,30000,city_souvenirs\n" +
        "Broken,,/static/b.png,many,-5,food\n",
    );
    const refused = await ops(["items", "import", store.id, bad], ENV);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("rejected 1 of 3 rows; nothing was imported");
    expect(refused.out).toMatch(/line 4\s+│ balance/);
    expect(refused.out).toMatch(/line 4\s+│ price_penny/);
    expect((await items()).map((i) => i.name).sort()).toEqual(["Magnet", "Tea"]);

    // A robot buys a tea: one pending task for the store.
    const robotKey = path.join(dir, "buyer.pem");
    const robot = await opsJson<{ id: string }>([
      "robots",
      "enrol",
      "--key-out",
      robotKey,
      "--model-id",
      `ops-${randomUUID()}`,
    ]);
    cleanup.push(["robots", "delete", robot.id]);
    const robotToken = (await ops(["token", "robot", robot.id, "--key", robotKey], ENV)).out.trim();
    const tea = (await items()).find((i) => i.name === "Tea");
    const bought = await api("POST", `/store_api/v1/robot/store/${store.id}/make_purchase`, robotToken, {
      user_id: randomUUID(),
      items: [{ item_id: tea?.id, count: 1 }],
      is_default_ready: false,
    });
    expect(bought.status, JSON.stringify(bought.body)).toBe(200);

    const pending = await opsJson<{ id: string; status: string }[]>(["tasks", "list", store.id]);
    expect(pending).toEqual([expect.objectContaining({ status: "pending" })]);
    const table = await ops(["tasks", "list", store.id], ENV);
    expect(table.out).toContain("1× Tea");
    const taskId = pending[0]?.id ?? "";
    expect(await opsJson(["tasks", "ready", store.id, taskId])).toEqual([{ id: taskId, status: "ready" }]);
    expect(await opsJson(["tasks", "list", store.id])).toEqual([]);
    expect(await opsJson(["tasks", "list", store.id, "--all"])).toEqual([
      expect.objectContaining({ id: taskId, status: "ready" }),
    ]);
    const unknown = await ops(["tasks", "ready", store.id, randomUUID()], ENV);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("Task not found (HTTP 404)");
  });

  it("creates, lists and deletes passengers", async () => {
    const name = `Ops passenger ${randomUUID().slice(0, 8)}`;
    const user = await opsJson<{ id: string; name: string }>(["passengers", "create", name]);
    cleanup.push(["passengers", "delete", user.id]);
    expect(user.name).toBe(name);
    expect(await opsJson<{ id: string }[]>(["passengers", "list"])).toContainEqual({ id: user.id, name });
    await opsJson(["passengers", "delete", user.id]);
    expect((await opsJson<{ id: string }[]>(["passengers", "list"])).map((u) => u.id)).not.toContain(user.id);
  });
  it("sells tickets on a run (by run id or by train and departure) and lists and deletes them", async () => {
    const admin = (await ops(["token", "engineer"], ENV)).out.trim();
    const trainNumber = 90_000 + Math.floor(Math.random() * 9_000);
    const train = await api("POST", "/base_api/v1/admin/trains", admin, {
      number: trainNumber,
      name: "Ops test",
      stops: [
        { station_id: "MOSCOW", departure_minutes: 0 },
        { station_id: "SPB", arrival_minutes: 240 },
      ],
      wagons: [{ number: 1, class: "economy", seats: 10 }],
    });
    expect(train.status, JSON.stringify(train.body)).toBe(201);
    const departure = new Date(Date.now() + 3 * 3600_000);
    departure.setUTCMinutes(0, 0, 0);
    const run = await api("POST", "/base_api/v1/admin/runs", admin, {
      train_number: trainNumber,
      departure: departure.toISOString(),
    });
    expect(run.status, JSON.stringify(run.body)).toBe(201);
    const runId = (Array.isArray(run.body) ? run.body[0] : run.body).id as string;
    const listedRuns = await opsJson<{ id: string }[]>(["runs", "list", "--train", String(trainNumber)]);
    expect(listedRuns.map((r) => r.id)).toEqual([runId]);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    expect(await opsJson(["runs", "list", "--train", String(trainNumber), "--from", tomorrow])).toEqual([]);
    const user = await opsJson<{ id: string }>([
      "passengers",
      "create",
      `Ops ticket ${randomUUID().slice(0, 8)}`,
    ]);
    cleanup.push(["passengers", "delete", user.id]);
    try {
      const seat = (place: number, how: string[]) => [
        "tickets",
        "create",
        "--user",
        user.id,
        ...how,
        "--wagon",
        "1",
        "--place",
        String(place),
        "--from",
        "MOSCOW",
        "--to",
        "SPB",
      ];
      const byRun = await opsJson<{ id: string; code: string; train_number: number }>(
        seat(3, ["--run", runId]),
      );
      expect(byRun).toMatchObject({ train_number: trainNumber, place_number: 3, user_id: user.id });
      expect(byRun.code).toBeTruthy();
      // Its signed QR code, and a key rotation that keeps the old key published while its codes are valid.
      const signed = await opsJson<{ ticket_id: string; signed_code: string; kid: string }>([
        "tickets",
        "signed-code",
        byRun.id,
      ]);
      expect(signed.ticket_id).toBe(byRun.id);
      expect(signed.signed_code).toMatch(/^RT1:/);
      const rotated = await opsJson<{ kid: string; retired_kid: string }>(["tickets", "rotate-key"]);
      expect(rotated.retired_kid).toBe(signed.kid);
      const keys = await opsJson<{ kid: string; status: string }[]>(["tickets", "keys"]);
      expect(keys).toContainEqual(expect.objectContaining({ kid: rotated.kid, status: "current" }));
      expect(keys).toContainEqual(expect.objectContaining({ kid: signed.kid, status: "retired" }));
      expect(await opsJson(["tickets", "conflicts"])).toEqual(expect.any(Array));
      const byTrain = await opsJson<{ id: string }>(
        seat(4, ["--train", String(trainNumber), "--departure", departure.toISOString()]),
      );
      const taken = await ops(seat(3, ["--run", runId]), ENV);
      expect(taken.code).toBe(1);
      expect(taken.err).toMatch(/HTTP 409/);
      const noRun = await ops(
        seat(5, ["--train", String(trainNumber), "--departure", "2020-01-01T00:00:00Z"]),
        ENV,
      );
      expect(noRun.code).toBe(1);
      expect(noRun.err).toContain(`No run of train ${trainNumber} departs at 2020-01-01T00:00:00.000Z`);
      expect((await ops(seat(5, []), ENV)).err).toContain("name the run");

      const listed = await opsJson<{ id: string; place_number: number }[]>([
        "tickets",
        "list",
        "--user",
        user.id,
      ]);
      expect(listed.map((t) => t.id).sort()).toEqual([byRun.id, byTrain.id].sort());
      expect(listed.every((t) => !("code" in t))).toBe(true);
      for (const t of listed) await opsJson(["tickets", "delete", t.id]);
      expect(await opsJson(["tickets", "list", "--user", user.id])).toEqual([]);
    } finally {
      await ops(["passengers", "delete", user.id], ENV);
      await api("DELETE", `/base_api/v1/admin/runs/${runId}`, admin);
      await api("DELETE", `/base_api/v1/admin/trains/${trainNumber}`, admin);
    }
  });
});
