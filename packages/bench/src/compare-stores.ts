/**
 * `pnpm --filter @rail/bench compare-stores [--seconds 8] [--rounds 3] [--items 50] name=url ...`: the robot
 * purchase load of `pnpm bench` against several store processes over the same database, in alternating rounds,
 * with each process's CPU time per purchase. For before/after pairs of a store change on a shared machine: start
 * the old code on another port (e.g. `git archive <commit> services/store`, its node_modules linked, `PORT=18003
 * pnpm start` with the stack's env) and compare it with the new one in the same minutes. The set-up (store, items,
 * robot) goes through nginx like the bench's and is removed at the end. With `--side-by-side` the stores are loaded
 * at the same time (see `measureTargets`).
 */
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { Fixtures } from "./fixtures.js";
import { measureTargets, useBaseline } from "./load.js";
import { purchaseRequest, stockedStore, storeWithHistory } from "./scenarios/purchases.js";
import { pool } from "./db.js";
import { STORE } from "./env.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: "string", default: "8" },
    rounds: { type: "string", default: "3" },
    items: { type: "string", default: "50" },
    "side-by-side": { type: "boolean", default: false }, // see measureTargets
  },
});
const targets = positionals.map((arg) => {
  const [name, url] = arg.split("=") as [string, string | undefined];
  if (!url) throw new Error(`expected name=url, got ${arg}`);
  return { name, url: url.replace(/\/$/, ""), pid: listenerPid(new URL(url).port) };
});
if (targets.length === 0) throw new Error("give at least one name=url (e.g. old=http://127.0.0.1:18003)");

/** The process listening on the port (its CPU time is the store's). */
function listenerPid(port: string): number {
  const out = execFileSync("ss", ["-ltnpH", `sport = :${port}`], { encoding: "utf8" });
  const pid = /pid=(\d+)/.exec(out)?.[1];
  if (!pid) throw new Error(`nothing of ours listens on port ${port}`);
  return Number(pid);
}

const fx = new Fixtures();
try {
  await fx.setUp();
  // Like `pnpm bench`: a store database with some history and fresh statistics (see scenarios/purchases.ts).
  const db = pool("STORE");
  fx.onCleanup(() => db.end());
  await (await storeWithHistory(fx, db, `${STORE}/robot/store`)).growTo(1000);
  const store = await stockedStore(fx, Number(values.items), 10_000_000);
  useBaseline(undefined);
  const settings = { duration: Number(values.seconds), connections: 32 };
  const totals = targets.map(() => ({
    requests: 0,
    seconds: 0,
    cpu: 0,
    p50: [] as number[],
    p99: [] as number[],
  }));
  for (let round = 1; round <= Number(values.rounds); round++) {
    const results = await measureTargets(
      targets,
      (target) => ({ url: target.url, requests: [purchaseRequest(fx, store)] }),
      settings,
      values["side-by-side"],
    );
    for (const [i, target] of targets.entries()) {
      const result = results[i]!;
      const ok = result.statuses["200"] ?? 0;
      if (ok !== result.requests)
        throw new Error(`${target.name}: answers ${JSON.stringify(result.statuses)}`);
      const t = totals[i]!;
      t.requests += ok;
      t.seconds += result.seconds;
      t.cpu += (result.cpuMicros! * result.requests) / 1e6;
      t.p50.push(result.p50);
      t.p99.push(result.p99);
      console.log(
        `round ${round} ${target.name}: ${result.rps.toFixed(0)} purchases/s, p50 ${result.p50} ms, p99 ${result.p99} ms`,
      );
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`\n${values.items} items, 32 connections, ${values.rounds} x ${values.seconds} s each:`);
  for (const [i, target] of targets.entries()) {
    const t = totals[i]!;
    console.log(
      `${target.name}: ${(t.requests / t.seconds).toFixed(0)} purchases/s, p50 ${median(t.p50)} ms, ` +
        `p99 ${median(t.p99)} ms, store CPU ${((t.cpu / t.requests) * 1e6).toFixed(0)} µs per purchase`,
    );
  }
} finally {
  await fx.cleanUp();
}
