/**
 * `pnpm --filter @rail/bench cpu-split [--seconds 6] [--only name,...]`: where a request's CPU time goes, per
 * process group (nginx, base, store, Postgres, Redis, the load generator itself, everything else), for the robot's
 * hot paths through nginx beside the kit baseline. On two shared cores req/s is what the whole machine can do, so
 * the ratio of a scenario to `/health` is roughly the ratio of their total CPU per request: this shows which
 * process the difference is spent in. The set-up goes through nginx like the bench's and is removed at the end.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { BASE, STORE } from "./env.js";
import { Fixtures } from "./fixtures.js";
import { jsonHeaders, measure, useBaseline, type LoadSpec } from "./load.js";
import { servicePid } from "./rss.js";
import { pool } from "./db.js";
import { purchaseRequest, stockedStore, storeWithHistory } from "./scenarios/purchases.js";
import { benchPassengerWithTicket } from "./scenarios/tickets.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "6" },
    only: { type: "string" },
    // e.g. `--target store=http://127.0.0.1:18002`: send that service's scenarios to another process of it (one
    // started with `node --cpu-prof`, say) instead of through nginx; its CPU counts as the service's.
    target: { type: "string", multiple: true },
  },
});

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU ticks (user + system) of every process now, by pid, with its group. */
function snapshot(groups: Map<number, string>): Map<number, { group: string; ticks: number }> {
  const byPid = new Map<number, { group: string; ticks: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ticks = Number(fields[11]) + Number(fields[12]);
      const pid = Number(entry);
      const group =
        groups.get(pid) ??
        (pid === process.pid
          ? "load generator"
          : comm.startsWith("postgres")
            ? "postgres"
            : comm.startsWith("redis")
              ? "redis"
              : comm === "nginx"
                ? "nginx"
                : "other");
      byPid.set(pid, { group, ticks });
    } catch {
      // the process ended meanwhile
    }
  }
  return byPid;
}

/** CPU µs per request by group, over the processes alive at both ends (one that ended meanwhile is left out). */
function spent(
  before: ReturnType<typeof snapshot>,
  after: ReturnType<typeof snapshot>,
  requests: number,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const [pid, { group, ticks }] of after) {
    const start = before.get(pid)?.ticks ?? 0; // a process started meanwhile counts from zero
    out.set(group, (out.get(group) ?? 0) + (((ticks - start) / TICKS_PER_SECOND) * 1e6) / requests);
  }
  return out;
}

const fx = new Fixtures();
try {
  await fx.setUp();
  const groups = new Map<number, string>();
  for (const service of ["base", "store", "face"]) {
    const pid = servicePid(service);
    if (pid) groups.set(pid, service);
  }
  const origins: Record<string, string> = {};
  for (const target of values.target ?? []) {
    const [service, url] = target.split("=") as [string, string];
    origins[service] = url.replace(/\/$/, "");
    const pid = /pid=(\d+)/.exec(
      execFileSync("ss", ["-ltnpH", `sport = :${new URL(url).port}`], { encoding: "utf8" }),
    )?.[1];
    if (pid) groups.set(Number(pid), `${service} (${url})`);
  }
  const retarget = (service: string, url: string) =>
    origins[service] ? url.replace(/^https?:\/\/[^/]+/, origins[service]) : url;
  const { userId, checkBody: check } = await benchPassengerWithTicket(fx, "Bench split");
  const headers = jsonHeaders(fx.robotToken);
  const scenarios: { name: string; spec: LoadSpec }[] = [
    { name: "GET /health (base)", spec: { url: retarget("base", `${BASE}/health`) } },
    { name: "GET /health (store)", spec: { url: retarget("store", `${STORE}/health`) } },
    { name: "user lookup", spec: { url: retarget("base", `${BASE}/robot/user/${userId}`), headers } },
    {
      name: "ticket check by code",
      spec: {
        url: retarget("base", `${BASE}/robot/ticket_validation`),
        method: "POST",
        headers,
        body: check,
      },
    },
  ];
  const wanted = (name: string) => !values.only || values.only.split(",").some((o) => name.includes(o));
  if (wanted("purchases spread over 50 items") || wanted("purchases of one hot item")) {
    // Like `pnpm bench`: a store database with some history and fresh statistics (see scenarios/purchases.ts).
    const db = pool("STORE");
    fx.onCleanup(() => db.end());
    await (await storeWithHistory(fx, db, `${STORE}/robot/store`)).growTo(1000);
  }
  const purchasesUrl = retarget("store", `${STORE}/health`.replace("/store_api/v1/health", ""));
  for (const [name, items] of [
    ["purchases spread over 50 items", 50],
    ["purchases of one hot item", 1],
  ] as const)
    if (wanted(name)) {
      const store = await stockedStore(fx, items, 10_000_000);
      scenarios.push({ name, spec: { url: purchasesUrl, requests: [purchaseRequest(fx, store)] } });
    }
  const chosen = scenarios.filter((s) => wanted(s.name));
  useBaseline(undefined);
  const settings = { duration: Number(values.seconds), connections: 32 };
  const rows: Record<string, string | number>[] = [];
  for (const scenario of chosen) {
    const before = snapshot(groups);
    const result = await measure(scenario.spec, settings);
    const after = snapshot(groups);
    const answered = result.statuses["200"] ?? 0;
    if (answered !== result.requests) throw new Error(`${scenario.name}: ${JSON.stringify(result.statuses)}`);
    // measure() runs one unrecorded warm-up second first: count its requests as well, at the same rate.
    const requests = result.requests * ((result.seconds + 1) / result.seconds);
    const row: Record<string, string | number> = { scenario: scenario.name, "req/s": Math.round(result.rps) };
    let total = 0;
    for (const [group, us] of spent(before, after, requests)) {
      if (us >= 1) row[group] = Math.round(us);
      total += us;
    }
    row.total = Math.round(total);
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  console.log("\nCPU µs per request, by process group (32 connections through nginx):");
  console.table(rows);
} finally {
  await fx.cleanUp();
}
