/**
 * `pnpm bench [--short] [--only kit,tickets,...] [--out file]`: every scenario against the running stack
 * (`scripts/stack up`) through nginx with autocannon, then docs/benchmarks.md (see packages/bench/README.md).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { pool } from "./db.js";
import { BASE, REPO_ROOT } from "./env.js";
import { Fixtures } from "./fixtures.js";
import {
  checkpoint,
  interruptLoad,
  Interrupted,
  useBaseline,
  type LoadResult,
  type LoadSettings,
} from "./load.js";
import { describeMachine, loadAverage } from "./machine.js";
import { renderReport } from "./report.js";
import type { Row, RunSettings } from "./report-types.js";
import { peakRss, resetPeak, SERVICES, servicePid } from "./rss.js";
import { faceScenarios } from "./scenarios/face.js";
import { ceilingScenarios } from "./scenarios/ceiling.js";
import { kitScenarios } from "./scenarios/kit.js";
import { purchaseScenarios } from "./scenarios/purchases.js";
import { robotLogin, userLookup } from "./scenarios/robot.js";
import { ticketScenarios } from "./scenarios/tickets.js";

const SECTIONS = ["kit", "robot", "tickets", "purchases", "ceiling", "face"] as const;
type Section = (typeof SECTIONS)[number];

const { values } = parseArgs({
  options: {
    short: { type: "boolean", default: false },
    only: { type: "string" },
    out: { type: "string" },
  },
});
const short = values.short!;
const only = new Set((values.only?.split(",") ?? SECTIONS) as Section[]);
for (const s of only)
  if (!SECTIONS.includes(s)) throw new Error(`--only: unknown section ${s} (${SECTIONS.join(", ")})`);
const run: RunSettings = {
  short,
  duration: short ? 2 : 8,
  connections: 32,
  ticketSizes: short ? [10_000] : [10_000, 100_000, 1_000_000],
  faceSizes: short ? [1_000] : [1_000, 10_000, 100_000],
  purchaseSizes: short ? [1_000] : [1_000, 100_000],
};
const settings: LoadSettings = { duration: run.duration, connections: run.connections };
// The short run proves the command works (CI); its figures go next to the stack's other state, not into docs/.
const out = path.resolve(
  REPO_ROOT,
  values.out ?? (short ? ".stack/bench/benchmarks-short.md" : "docs/benchmarks.md"),
);

const rows: Row[] = [];
const report = (row: Row) => {
  rows.push(row);
  const r = row.result;
  console.log(
    row.error
      ? `  ✗ ${row.name}: ${row.error}`
      : `  ${row.name}: ${r ? `${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms` : ""}${row.note ? ` (${row.note})` : ""}`,
  );
};

const pids = new Map<string, number>();
for (const service of SERVICES) {
  const pid = servicePid(service);
  if (pid === undefined)
    throw new Error(`${service} is not running: start the stack first (scripts/stack up)`);
  pids.set(service, pid);
  resetPeak(pid);
}
const basePool = pool("BASE");
const machine = await describeMachine(basePool);
await basePool.end();
const loadBefore = loadAverage();
const started = new Date();
console.log(
  `bench (${short ? "short" : "full"}): ${run.duration} s per scenario, ${run.connections} connections; ` +
    `${machine.cpu} x${machine.cores}, load ${loadBefore.toFixed(2)}`,
);

const fx = new Fixtures();
// Ctrl-C stops the running load and the scenario at its next checkpoint; the clean-up below then removes
// everything created so far (growth data above all), including what the scenario made after the key was pressed.
// A second Ctrl-C cleans up what is registered at once and exits.
process.once("SIGINT", () => {
  console.log("interrupted: stopping, then cleaning up (Ctrl-C again to clean up now)");
  interruptLoad();
  process.once("SIGINT", () => void fx.cleanUp().finally(() => process.exit(130)));
});
let baseline: LoadResult | undefined;
const step = async (section: Section, fn: () => Promise<unknown>) => {
  if (!only.has(section)) return;
  console.log(`${section}:`);
  try {
    await fn();
  } catch (err) {
    if (err instanceof Interrupted) throw err;
    report({ section, name: `${section} scenarios stopped`, error: (err as Error).message });
  }
};
try {
  await fx.setUp();
  await step("kit", async () => {
    baseline = await kitScenarios(settings, report);
  });
  // Every later scenario is measured in rounds interleaved with the kit baseline (see load.ts).
  // Base's CPU per request is reported beside the baseline's (the baseline is base's /health).
  useBaseline({ url: `${BASE}/health`, cpuPid: pids.get("base") });
  await step("robot", async () => {
    await userLookup(fx, settings, report);
    await robotLogin(fx, settings, report);
  });
  await step("tickets", () => ticketScenarios(fx, run, settings, report));
  await step("purchases", () => purchaseScenarios(fx, run, settings, report));
  await step("ceiling", () => ceilingScenarios(fx, settings, report));
  await step("face", () => faceScenarios(fx, run, settings, report));
} catch (err) {
  if (!(err instanceof Interrupted)) throw err;
} finally {
  console.log("cleaning up");
  await fx.cleanUp();
}
try {
  checkpoint();
} catch {
  process.exit(130); // interrupted: no report
}

const rss = [...pids].map(([service, pid]) => ({ service, bytes: peakRss(pid) }));
mkdirSync(path.dirname(out), { recursive: true });
const markdown = renderReport({
  short,
  machine,
  settings: run,
  started,
  seconds: (Date.now() - started.getTime()) / 1000,
  loadBefore,
  loadAfter: loadAverage(),
  baseline,
  rows,
  rss,
  changes: short ? undefined : readFileSync(path.join(REPO_ROOT, "packages/bench/CHANGES.md"), "utf8"),
});
// Formatted as the repository formats its Markdown, so the written file passes `prettier --check`.
const prettier = await import("prettier");
const config = (await prettier.resolveConfig(out)) ?? {};
writeFileSync(out, await prettier.format(markdown, { ...config, filepath: out }));
console.log(`wrote ${path.relative(REPO_ROOT, out)}`);
const failed = rows.filter((r) => r.error);
if (failed.length > 0) {
  console.error(`${failed.length} scenario group(s) failed: ${failed.map((r) => r.section).join(", ")}`);
  process.exit(1);
}
process.exit(0);
