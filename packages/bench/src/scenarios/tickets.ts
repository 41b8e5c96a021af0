import { randomBytes, randomInt, randomUUID } from "node:crypto";
import type { Request } from "autocannon";
import { measureOfflineVerification } from "@rail/robot-sdk/bench/offline-verify";
import { ok } from "../api.js";
import { cloneRows, pool } from "../db.js";
import { BASE } from "../env.js";
import { remove, type Fixtures } from "../fixtures.js";
import { jsonHeaders, measure, type LoadResult, type LoadSettings } from "../load.js";
import type { Report, RunSettings } from "../report-types.js";
import { servicePid } from "../rss.js";

const section = "tickets";

/**
 * Tickets belong to a run of a train: two bench stations, a bench train between them, one run two days ahead
 * (own stations, so the bench needs no seeded timetable; all removed at the end, last in, first out).
 */
export async function createBenchRun(fx: Fixtures) {
  const tag = randomBytes(3).toString("hex").toUpperCase();
  const [from, to] = [`BENCH_${tag}_A`, `BENCH_${tag}_B`];
  for (const id of [from, to]) {
    await ok("POST", `${BASE}/admin/stations`, fx.admin, {
      id,
      name_ru: `Бенч ${id}`,
      name_en: `Bench ${id}`,
      time_zone: "Europe/Moscow",
    });
    fx.onCleanup(() => remove(`${BASE}/admin/stations/${id}`, () => fx.admin));
  }
  const trainNumber = 90_000 + randomInt(9_000);
  await ok("POST", `${BASE}/admin/trains`, fx.admin, {
    number: trainNumber,
    name: "Bench",
    stops: [
      { station_id: from, departure_minutes: 0 },
      { station_id: to, arrival_minutes: 60 },
    ],
    wagons: [{ number: 1, class: "economy", seats: 200 }],
  });
  fx.onCleanup(() => remove(`${BASE}/admin/trains/${trainNumber}`, () => fx.admin));
  const departure = new Date(Date.now() + 2 * 86400_000);
  departure.setUTCMinutes(0, 0, 0);
  const created = await ok("POST", `${BASE}/admin/runs`, fx.admin, {
    train_number: trainNumber,
    departure: departure.toISOString(),
  });
  const trainRun = (Array.isArray(created) ? created[0] : created) as { id: string };
  fx.onCleanup(() => remove(`${BASE}/admin/runs/${trainRun.id}`, () => fx.admin));
  return { from, to, trainNumber, departure, runId: trainRun.id };
}

/** Sells the passenger seat 1 of wagon 1 on the bench run (through the admin API, as an engineer would). */
async function sellSeatOne(
  fx: Fixtures,
  run: { from: string; to: string; trainNumber: number; departure: Date },
  userId: string,
): Promise<{ id: string; code: string }> {
  return (await ok("POST", `${BASE}/admin/ticket`, fx.admin, {
    user_id: userId,
    train_number: run.trainNumber,
    wagon_number: 1,
    place_number: 1,
    station_id: run.from,
    destination: run.to,
    date: run.departure.toISOString(),
    start_date: run.departure.toISOString(),
  })) as { id: string; code: string };
}

/**
 * A passenger with one ticket on a bench run, and the robot's check of that ticket by code (`mark_as_used: false`)
 * as a request body: what compare-base and cpu-split load base's hot paths with. Removed at the end.
 */
export async function benchPassengerWithTicket(fx: Fixtures, name: string) {
  const { from, to, trainNumber, departure } = await createBenchRun(fx);
  const userId = await fx.user(`${name} ${randomUUID().slice(0, 8)}`);
  const ticket = await sellSeatOne(fx, { from, to, trainNumber, departure }, userId);
  fx.onCleanup(() => ok("DELETE", `${BASE}/admin/ticket/${ticket.id}`, fx.admin));
  const checkBody = JSON.stringify({
    station_id: from,
    train_number: trainNumber,
    wagon_number: 1,
    date: departure.toISOString(),
    code: ticket.code,
    mark_as_used: false,
  });
  return { userId, ticket, checkBody };
}

/**
 * Ticket checks by QR code: read-only checks (`mark_as_used: false`) over 10k / 100k / 1M tickets, and boarding
 * (`mark_as_used: true`) with a fresh ticket per request. Tickets are copies of one ticket bought through the
 * admin API, inserted with generate_series; they belong to one bench passenger and are deleted at the end.
 */
export async function ticketScenarios(
  fx: Fixtures,
  run: RunSettings,
  settings: LoadSettings,
  report: Report,
): Promise<LoadResult | undefined> {
  const db = pool("BASE");
  fx.onCleanup(() => db.end());
  const { from, to, trainNumber, departure } = await createBenchRun(fx);
  const userId = await fx.user(`Bench passenger ${randomUUID().slice(0, 8)}`);
  // Removed before the passenger and the run (clean-ups run last in, first out).
  fx.onCleanup(() => db.query("DELETE FROM tickets WHERE user_id = $1::uuid", [userId]));
  const template = await sellSeatOne(fx, { from, to, trainNumber, departure }, userId);
  // The body around the code is serialised once: the load generator shares the cores, and a JSON.stringify per
  // request cost it a noticeable share of them (codes are hex and digits, nothing to escape).
  const [bodyStart, bodyEnd] = JSON.stringify({
    station_id: from,
    train_number: trainNumber,
    wagon_number: 1,
    date: departure.toISOString(),
    code: "\u0000",
    mark_as_used: false,
  }).split('"\\u0000"');
  const bodyEndUsed = bodyEnd!.replace('"mark_as_used":false', '"mark_as_used":true');
  const checkBody = (code: string, markAsUsed: boolean) =>
    `${bodyStart}"${code}"${markAsUsed ? bodyEndUsed : bodyEnd}`;
  // Seats 2.. of wagon 1; codes `<prefix><n>` so the load generator knows them without reading them back.
  const prefix = randomBytes(16).toString("hex");
  const code = (kind: "c" | "f", n: number) => `${prefix}-${kind}${n}`;
  // Check tickets take seats 2..; fresh boarding tickets take seats from FRESH_SEATS on.
  const FRESH_SEATS = 10_000_000;
  const grow = async (kind: "c" | "f", inserted: number, to: number) => {
    const started = performance.now();
    await cloneRows(
      db,
      "tickets",
      template.id,
      {
        id: "gen_random_uuid()",
        code: `'${prefix}-${kind}' || g`,
        place_number: "g + 1",
        used: "false",
      },
      to - inserted,
      kind === "c" ? inserted : FRESH_SEATS + inserted,
    );
    console.log(
      `  inserted ${to - inserted} tickets in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  };
  const url = `${BASE}/robot/ticket_validation`;
  const cpuPid = servicePid("base");
  const headers = jsonHeaders(fx.robotToken);

  let first: LoadResult | undefined;
  let checkTickets = 0;
  for (const size of run.ticketSizes) {
    await grow("c", checkTickets, size);
    checkTickets = size;
    await db.query("ANALYZE tickets");
    const randomCheck: Request = {
      method: "POST",
      path: new URL(url).pathname,
      headers,
      setupRequest: (req) => {
        req.body = checkBody(code("c", randomInt(1, size + 1)), false);
        return req;
      },
    };
    const result = await measure({ url, requests: [randomCheck], cpuPid }, settings);
    first ??= result;
    report({
      section,
      id: `ticket-check-${size}`,
      name: `ticket check by code (\`mark_as_used: false\`), ${size.toLocaleString("en")} tickets`,
      result,
      note:
        first === result
          ? undefined
          : `${(first.p50 / Math.max(result.p50, 0.001)).toFixed(2)}x the p50 speed at ${run.ticketSizes[0]!.toLocaleString("en")}; ${(result.rps / first.rps).toFixed(2)}x its req/s`,
    });
    if (first === result) {
      // The same check done by a robot with no network: the signed QR code verified locally (issue 17).
      const offline = measureOfflineVerification();
      report({
        section,
        id: "ticket-offline",
        name: "signed ticket code verified offline (robot SDK, one core, no network)",
        note:
          `${offline.perCodeMicros.toFixed(0)} µs/code, ${offline.codesPerSecond.toFixed(0)} codes/s; ` +
          `the online check's p50 is ${((result.p50 * 1000) / offline.perCodeMicros).toFixed(0)}x that`,
      });
      // Boarding: every request consumes a fresh ticket (inserted after the check tickets, so seats differ).
      const fresh = run.short ? 20_000 : 60_000;
      await grow("f", 0, fresh);
      let next = FRESH_SEATS;
      const board: Request = {
        method: "POST",
        path: new URL(url).pathname,
        headers,
        setupRequest: (req) => {
          req.body = checkBody(code("f", ++next), true);
          return req;
        },
      };
      const boarding = await measure({ url, requests: [board], cpuPid }, settings);
      report({
        section,
        id: "board",
        name: "ticket validation with `mark_as_used: true`, a fresh ticket each",
        result: boarding,
        note: next > FRESH_SEATS + fresh ? "ran out of fresh tickets: the excess answered 400" : undefined,
      });
    }
  }
  return first;
}
