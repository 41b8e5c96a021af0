/**
 * The railway as data through nginx: an engineer sets up stations, a train and its runs; anyone reads the
 * timetable and a run's seat map; concurrent sales of one seat end with one ticket. Everything is deleted after.
 */
import { randomBytes } from "node:crypto";
import {
  KEYCLOAK_TEST_CLIENT_ID,
  enableKeycloakTestClient,
  keycloakAdminRequest,
  keycloakTestSettings,
  keycloakTokenRequest,
} from "@rail/common/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, ENV, call, engineerToken } from "./support.js";

/** A throw-away Keycloak passenger (realm default roles) and a real access token of theirs. */
async function passenger(cleanup: Array<() => Promise<unknown>>): Promise<string> {
  const keycloak = keycloakTestSettings(ENV);
  await enableKeycloakTestClient(keycloak);
  const username = `e2e-rail-${randomBytes(4).toString("hex")}`;
  const password = randomBytes(12).toString("base64url");
  const created = await keycloakAdminRequest(keycloak, "POST", "/users", {
    username,
    email: `${username}@example.test`,
    emailVerified: true,
    firstName: "E2E",
    lastName: "Rider",
    enabled: true,
    credentials: [{ type: "password", value: password, temporary: false }],
  });
  const id = created.headers.get("location")!.split("/").pop()!;
  cleanup.push(() => keycloakAdminRequest(keycloak, "DELETE", `/users/${id}`));
  const token = await keycloakTokenRequest(keycloak, keycloak.realm, {
    grant_type: "password",
    client_id: KEYCLOAK_TEST_CLIENT_ID,
    username,
    password,
    scope: "openid",
  });
  return token.access_token;
}

describe("railway timetable through nginx", () => {
  let admin: string;
  const cleanup: Array<() => Promise<unknown>> = [];
  const tag = randomBytes(3).toString("hex").toUpperCase();
  const [from, to] = [`E2E_A${tag}`, `E2E_B${tag}`];
  const trainNumber = 800_000 + Math.floor(Math.random() * 100_000);
  // A departure at a whole minute three days ahead, 10:00 in Novosibirsk (UTC+7).
  const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  const departure = `${day}T10:00:00+07:00`;
  let runId: string;

  beforeAll(async () => {
    admin = await engineerToken();
    for (const [id, zone] of [
      [from, "Asia/Novosibirsk"],
      [to, "Europe/Moscow"],
    ] as const) {
      const station = await call("POST", `${BASE}/admin/stations`, admin, {
        id,
        name_ru: `Станция ${id}`,
        name_en: `Station ${id}`,
        time_zone: zone,
      });
      expect(station.status, JSON.stringify(station.body)).toBe(201);
      cleanup.push(() => call("DELETE", `${BASE}/admin/stations/${id}`, admin));
    }
    const train = await call("POST", `${BASE}/admin/trains`, admin, {
      number: trainNumber,
      name: "E2E express",
      stops: [{ station_id: from }, { station_id: to, arrival_minutes: 600 }],
      wagons: [
        { number: 1, class: "economy", seats: 4 },
        { number: 2, class: "first", seats: 2 },
      ],
    });
    expect(train.status, JSON.stringify(train.body)).toBe(201);
    cleanup.push(() => call("DELETE", `${BASE}/admin/trains/${trainNumber}`, admin));
    const runs = await call("POST", `${BASE}/admin/runs`, admin, { train_number: trainNumber, departure });
    expect(runs.status, JSON.stringify(runs.body)).toBe(201);
    runId = runs.body[0].id as string;
    cleanup.push(() => call("DELETE", `${BASE}/admin/runs/${runId}`, admin));
  });
  afterAll(async () => {
    for (const undo of cleanup.reverse()) await undo();
  });

  it("serves stations and runs publicly, with local times and free seats per class", async () => {
    const stations = await call("GET", `${BASE}/timetable/stations`);
    expect(stations.status).toBe(200);
    expect(stations.body).toContainEqual({
      id: from,
      name_ru: `Станция ${from}`,
      name_en: `Station ${from}`,
      time_zone: "Asia/Novosibirsk",
    });
    const search = await call("GET", `${BASE}/timetable/runs?from=${from}&to=${to}&date=${day}`);
    expect(search.status).toBe(200);
    expect(search.body).toEqual([
      expect.objectContaining({
        run_id: runId,
        train_number: trainNumber,
        departure: `${day}T10:00:00+07:00`,
        // 10 hours later, in Moscow (UTC+3): 16:00.
        arrival: `${day}T16:00:00+03:00`,
        classes: [
          { class: "economy", free_seats: 4, total_seats: 4 },
          { class: "first", free_seats: 2, total_seats: 2 },
        ],
      }),
    ]);
    const unknown = await call("GET", `${BASE}/timetable/runs?from=${from}&to=NOWHERE_${tag}&date=${day}`);
    expect(unknown.status).toBe(422);
    expect(unknown.body.detail).toMatch(/^Unknown station id: NOWHERE_/);
  });

  it("sells one seat once to 20 concurrent buyers and shows it taken on the seat map", async () => {
    const user = await call("POST", `${BASE}/admin/user`, admin, { name: `E2E rider ${tag}` });
    expect(user.status).toBe(200);
    cleanup.push(() => call("DELETE", `${BASE}/admin/users/${user.body.id}`, admin));
    const seat = {
      user_id: user.body.id,
      run_id: runId,
      wagon_number: 2,
      place_number: 1,
      station_id: from,
      destination: to,
    };
    const sales = await Promise.all(
      Array.from({ length: 20 }, () => call("POST", `${BASE}/admin/ticket`, admin, seat)),
    );
    const sold = sales.filter((s) => s.status === 200);
    expect(sold).toHaveLength(1);
    expect(sales.filter((s) => s.status === 409).map((s) => s.body)).toEqual(
      Array.from({ length: 19 }, () => ({ detail: "Ticket already exists" })),
    );
    const ticket = sold[0]!.body;
    cleanup.push(() => call("DELETE", `${BASE}/admin/ticket/${ticket.id}`, admin));
    expect(ticket).toMatchObject({
      train_number: trainNumber,
      start_date: new Date(departure).toISOString(),
    });
    const map = await call("GET", `${BASE}/timetable/runs/${runId}/seats`);
    expect(map.body.wagons[1].places).toEqual([
      { number: 1, status: "taken" },
      { number: 2, status: "free" },
    ]);
    const search = await call("GET", `${BASE}/timetable/runs?from=${from}&to=${to}&date=${day}`);
    expect(search.body[0].classes[1]).toEqual({ class: "first", free_seats: 1, total_seats: 2 });
    const noRun = await call("POST", `${BASE}/admin/ticket`, admin, {
      ...seat,
      run_id: undefined,
      train_number: trainNumber,
      start_date: `${day}T11:00:00+07:00`,
    });
    expect(noRun.status).toBe(422);
  });

  it("lets a passenger hold a seat others cannot take, then confirm it into a ticket", async () => {
    const [anna, boris] = [await passenger(cleanup), await passenger(cleanup)];
    const seat = { run_id: runId, wagon_number: 1, place_number: 3, station_id: from, destination_id: to };
    const held = await call("POST", `${BASE}/frontend/holds`, anna, seat);
    expect(held.status, JSON.stringify(held.body)).toBe(201);
    const refused = await call("POST", `${BASE}/frontend/holds`, boris, seat);
    expect(refused).toEqual({ status: 409, body: { detail: "Seat is held by another passenger" } });
    const map = await call("GET", `${BASE}/timetable/runs/${runId}/seats`);
    expect(map.body.wagons[0].places[2]).toEqual({ number: 3, status: "held" });
    const ticket = await call("POST", `${BASE}/frontend/holds/${held.body.id}/confirm`, anna);
    expect(ticket.status, JSON.stringify(ticket.body)).toBe(200);
    cleanup.push(() => call("DELETE", `${BASE}/admin/ticket/${ticket.body.id}`, admin));
    expect(ticket.body).toMatchObject({
      run_id: runId,
      train_number: trainNumber,
      status: "valid",
      from: { id: from },
      departure: `${day}T10:00:00+07:00`,
      arrival: `${day}T16:00:00+03:00`,
    });
    const current = await call("GET", `${BASE}/frontend/tickets/current`, anna);
    expect(current.body.id).toBe(ticket.body.id);
    // The passengers' base users go with their tickets and holds when the test cleans up.
    for (const token of [anna, boris]) {
      const me = await call("GET", `${BASE}/frontend/me`, token);
      cleanup.push(() => call("DELETE", `${BASE}/admin/users/${me.body.id}`, admin));
    }
  });
});
