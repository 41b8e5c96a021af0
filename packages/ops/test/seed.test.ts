/**
 * The demo seed: its timetable always has a run under way, and against the running stack it is idempotent and
 * leaves a railway a robot and a passenger can use right now.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadStackEnv } from "@rail/common/testing";
import { Api } from "../src/api.js";
import { engineerLogin } from "../src/credentials.js";
import { keyLogin } from "../src/keys.js";
import { FACE_PASSENGER, RUN_EVERY_HOURS, storesFor, TRAINS } from "../src/seed/data.js";
import { cameraFrame, facePhoto } from "../src/seed/face-photo.js";
import { departureGrid, seedDemo } from "../src/seed/seed.js";

const TRIP_MS = 240 * 60_000;

describe("departureGrid", () => {
  it("always has a run under way and the next departures, on a grid that does not move with now", () => {
    for (let i = 0; i < 200; i++) {
      const now = new Date(Date.UTC(2026, 0, 1) + Math.floor(Math.random() * 365 * 86_400_000));
      const grid = departureGrid(now);
      const underWay = grid.filter((d) => d <= now && now.getTime() < d.getTime() + TRIP_MS);
      expect(underWay.length, now.toISOString()).toBeGreaterThan(0);
      expect(grid.filter((d) => d > now).length).toBeGreaterThanOrEqual(24);
      for (const d of grid) expect(d.getTime() % (RUN_EVERY_HOURS * 3600_000)).toBe(0);
      const later = departureGrid(new Date(now.getTime() + 60_000));
      expect(later.some((d) => d.getTime() === underWay[0]!.getTime())).toBe(true);
    }
  });
});

describe("seedDemo against the running stack", () => {
  const STACK = { ...loadStackEnv(), ...process.env };
  const credentials = {
    login: STACK.BOOTSTRAP_ENGINEER_LOGIN!,
    password: STACK.BOOTSTRAP_ENGINEER_PASSWORD!,
  };
  let token: Promise<string> | undefined;
  const api: Api = new Api(
    `http://127.0.0.1:${STACK.RAIL_HTTP_PORT ?? "8080"}`,
    () => (token ??= engineerLogin(api, credentials)),
    10,
  );
  // The stack's own seed directory: the demo robot and terminal are the stack's, not a second set.
  const dir = path.resolve(import.meta.dirname, "../../../.stack/seed");
  // One instant for both runs: a second run crossing a 3-hour boundary would rightly add a run.
  const now = new Date();
  const run = async () => {
    const lines: string[] = [];
    await seedDemo({
      api,
      credentials,
      dir,
      engineerPassword: STACK.DEMO_ENGINEER_PASSWORD ?? "demo-engineer-password",
      keycloak: {
        url: `http://127.0.0.1:${STACK.KEYCLOAK_PORT ?? "8180"}/keycloak`,
        realm: STACK.KEYCLOAK_REALM ?? "railway",
        adminUser: STACK.KEYCLOAK_ADMIN_USER ?? "admin",
        adminPassword: STACK.KEYCLOAK_ADMIN_PASSWORD ?? "admin",
        demoUsername: "demo",
      },
      now,
      facePhoto,
      log: (m) => lines.push(m),
    });
    return lines;
  };

  it("is idempotent and leaves a train under way with stores, items, a robot and ticketed passengers, one with a face", async () => {
    await run();
    const again = await run();
    for (const step of [
      "stations",
      "trains",
      "runs",
      "stores",
      "hotels and attractions",
      "engineers",
      "passengers",
    ])
      expect(
        again.find((l) => l.startsWith(`${step}:`)),
        step,
      ).toMatch(/\(0 new|0 new\b|: 0 new/);
    expect(again.find((l) => l.startsWith("passengers:"))).toContain("0 tickets sold");
    expect(again.find((l) => l.startsWith("passenger face:"))).toContain("already enrolled");
    // Robots can fetch the ticket signing key for offline checks as soon as the railway exists.
    expect(again.find((l) => l.startsWith("ticket signing key:"))).toMatch(
      /^ticket signing key: current key \S+/,
    );

    const robotKey = path.join(dir, "robot.pem");
    expect(statSync(robotKey).mode & 0o777).toBe(0o600);
    const state = JSON.parse(readFileSync(path.join(dir, "state.json"), "utf8"));
    const robot = await keyLogin(api, "robot", state.robotId, readFileSync(robotKey, "utf8"));
    const train = TRAINS[0]!.number;
    const now = await api.request<{ items: string[]; run_id: string }>(
      "GET",
      api.base(`/robot/train/${train}/stores`),
      "train stores",
      { auth: robot },
    );
    // (Ids of stores deleted in the store service may linger in base's bindings; the robot's list skips them.)
    const existing = await api.request<{ id: string; name: string }[]>(
      "POST",
      api.store("/robot/stores/list"),
      "stores",
      { auth: robot, body: { ids: now.items } },
    );
    const stores = await Promise.all(
      existing.map((s) =>
        api.request<{ name: string; items: { category: string }[] }>(
          "GET",
          api.store(`/robot/store/${s.id}`),
          "store",
          {
            auth: robot,
          },
        ),
      ),
    );
    expect(stores.map((s) => s.name).sort()).toEqual(
      storesFor(train)
        .map((s) => s.name)
        .sort(),
    );
    const categories = new Set(stores.flatMap((s) => s.items.map((i) => i.category)));
    expect([...categories].sort()).toEqual(["city_souvenirs", "food", "train_souvenirs"]);
    const hotels = await api.request<{ items: unknown[] }>(
      "GET",
      api.base("/robot/destination/SPB/hotels"),
      "hotels",
      {
        auth: robot,
      },
    );
    expect(hotels.items.length).toBeGreaterThan(0);
    // A robot's camera frame of the sample photo finds the seeded face passenger.
    const seen = await api.request<{ name: string }>("POST", api.base("/robot/identification"), "identify", {
      auth: robot,
      body: { image: (await cameraFrame()).toString("base64") },
    });
    expect(seen.name).toBe(FACE_PASSENGER);
  }, 180_000);
});
