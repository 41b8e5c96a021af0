/**
 * `pnpm --filter @rail/bench compare-base [--seconds 4] [--rounds 3] name=url ...`: the robot's hot paths of
 * `pnpm bench` (`/health`, user lookup, ticket check by code) against several base processes over the same
 * database and Redis, in alternating rounds, with each process's CPU time per request. For before/after pairs of a
 * base or kit change on a shared machine, where req/s through nginx moves with everyone else's load: start the old
 * code on another port (e.g. `git archive <commit> services/base packages/common`, node_modules linked, `PORT=18001
 * pnpm start` with the stack's env) and compare it with the new one in the same minutes. The set-up (passenger,
 * bench stations, train, run, ticket) goes through nginx like the bench's and is removed at the end. With
 * `--side-by-side` the targets are loaded at the same time (see `measureTargets`).
 */
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { Fixtures } from "./fixtures.js";
import { jsonHeaders, measureTargets, useBaseline, type LoadSpec } from "./load.js";
import { benchPassengerWithTicket } from "./scenarios/tickets.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: "string", default: "4" },
    rounds: { type: "string", default: "3" },
    "side-by-side": { type: "boolean", default: false }, // see measureTargets
  },
});
const targets = positionals.map((arg) => {
  const [name, url] = arg.split("=") as [string, string | undefined];
  if (!url) throw new Error(`expected name=url, got ${arg}`);
  return { name, api: `${url.replace(/\/$/, "")}/base_api/v1`, pid: listenerPid(new URL(url).port) };
});
if (targets.length === 0) throw new Error("give at least one name=url (e.g. old=http://127.0.0.1:18001)");

/** The process listening on the port (its CPU time is the service's). */
function listenerPid(port: string): number {
  const out = execFileSync("ss", ["-ltnpH", `sport = :${port}`], { encoding: "utf8" });
  const pid = /pid=(\d+)/.exec(out)?.[1];
  if (!pid) throw new Error(`nothing of ours listens on port ${port}`);
  return Number(pid);
}

const fx = new Fixtures();
try {
  await fx.setUp();
  const { userId, checkBody: check } = await benchPassengerWithTicket(fx, "Bench compare");
  const headers = jsonHeaders(fx.robotToken);
  const scenarios: { name: string; spec: (api: string) => LoadSpec }[] = [
    { name: "GET /health", spec: (api) => ({ url: `${api}/health` }) },
    { name: "user lookup", spec: (api) => ({ url: `${api}/robot/user/${userId}`, headers }) },
    {
      name: "ticket check by code",
      spec: (api) => ({ url: `${api}/robot/ticket_validation`, method: "POST", headers, body: check }),
    },
  ];
  useBaseline(undefined);
  const settings = { duration: Number(values.seconds), connections: 32 };
  const totals = new Map<string, { requests: number; seconds: number; cpu: number }>();
  const sideBySide = values["side-by-side"];
  for (let round = 1; round <= Number(values.rounds); round++)
    for (const scenario of scenarios) {
      const results = await measureTargets(targets, (t) => scenario.spec(t.api), settings, sideBySide);
      for (const [i, target] of targets.entries()) {
        const result = results[i]!;
        const answered = result.statuses["200"] ?? 0;
        if (answered !== result.requests)
          throw new Error(`${target.name} ${scenario.name}: answers ${JSON.stringify(result.statuses)}`);
        const key = `${scenario.name}\t${target.name}`;
        const t = totals.get(key) ?? { requests: 0, seconds: 0, cpu: 0 };
        t.requests += answered;
        t.seconds += result.seconds;
        t.cpu += result.cpuMicros! * answered;
        totals.set(key, t);
        console.log(
          `round ${round} ${scenario.name} ${target.name}: ${result.rps.toFixed(0)} req/s, ` +
            `p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.cpuMicros!.toFixed(0)} µs CPU per request`,
        );
      }
    }
  const split = sideBySide ? " split between the targets, all loaded at once" : "";
  console.log(
    `\n32 connections${split}, ${values.rounds} x ${values.seconds} s each, straight on each port:`,
  );
  for (const [key, t] of totals) {
    const [scenario, target] = key.split("\t");
    console.log(
      `${scenario} ${target}: ${(t.requests / t.seconds).toFixed(0)} req/s, ` +
        `base CPU ${(t.cpu / t.requests).toFixed(0)} µs per request`,
    );
  }
} finally {
  await fx.cleanUp();
}
