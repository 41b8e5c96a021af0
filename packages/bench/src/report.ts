import type { LoadResult } from "./load.js";
import type { Machine } from "./machine.js";
import type { Row, RunSettings } from "./report-types.js";
import { CEILING_PATHS } from "./scenarios/ceiling.js";

export interface ReportInput {
  short: boolean;
  machine: Machine;
  settings: RunSettings;
  started: Date;
  seconds: number;
  loadBefore: number;
  loadAfter: number;
  baseline?: LoadResult;
  rows: Row[];
  rss: { service: string; bytes: number }[];
  /** Hand-kept history of optimisations with their before/after figures (packages/bench/CHANGES.md). */
  changes?: string;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });

function errorsCell(r: LoadResult): string {
  const parts = Object.entries(r.statuses)
    .filter(([s]) => !s.startsWith("2"))
    .map(([s, n]) => `${fmt(n)}× ${s}`);
  if (r.errors > 0) parts.unshift(`${fmt(r.errors)} connection errors`);
  return parts.length > 0 ? parts.join(", ") : "0";
}

/** The service's CPU time per request beside the baseline's, and their ratio (1 = as cheap as `/health`). */
function cpuCell(r: LoadResult): string {
  if (r.cpuMicros === undefined) return "";
  const base = r.baseline?.cpuMicros;
  if (base === undefined) return fmt(r.cpuMicros);
  return `${fmt(r.cpuMicros)} / ${fmt(base)} (${x(base / Math.max(r.cpuMicros, 0.001))})`;
}

interface Target {
  what: string;
  goal: string;
  value: (get: (id: string) => LoadResult | undefined, base: LoadResult) => number | undefined;
  met: (v: number) => boolean;
  show: (v: number) => string;
}

const ratio = (id: string) => (get: (id: string) => LoadResult | undefined, base: LoadResult) => {
  const r = get(id);
  return r ? r.rps / (r.baseline ?? base).rps : undefined;
};
const p99Ratio = (id: string) => (get: (id: string) => LoadResult | undefined, base: LoadResult) => {
  const r = get(id);
  return r ? r.p99 / Math.max((r.baseline ?? base).p99, 1) : undefined;
};
const x = (v: number) => `${v.toFixed(2)}x`;

function targets(sizes: number[]): Target[] {
  const first = `ticket-check-${sizes[0]}`;
  const last = `ticket-check-${sizes.at(-1)}`;
  return [
    {
      what: "kit app `/health` vs bare Express (both started by the bench, without nginx)",
      goal: ">= 0.85x",
      value: (get) => {
        const kit = get("direct");
        const bare = get("bare");
        return kit && bare ? kit.rps / bare.rps : undefined;
      },
      met: (v) => v >= 0.85,
      show: x,
    },
    {
      what: "kit app vs bare Express, CPU time per `/health` request (bare / kit)",
      goal: ">= 0.85x",
      value: (get) => get("direct")?.cpuRatio,
      met: (v) => v >= 0.85,
      show: x,
    },
    {
      what: "ticket check by code, req/s",
      goal: ">= 0.7x baseline",
      value: ratio(first),
      met: (v) => v >= 0.7,
      show: x,
    },
    {
      what: "ticket check by code, p99",
      goal: "<= 2x baseline p99",
      value: p99Ratio(first),
      met: (v) => v <= 2,
      show: x,
    },
    {
      what: "user lookup, req/s",
      goal: ">= 0.8x baseline",
      value: ratio("user"),
      met: (v) => v >= 0.8,
      show: x,
    },
    {
      what: "user lookup, p99",
      goal: "<= 2x baseline p99",
      value: p99Ratio("user"),
      met: (v) => v <= 2,
      show: x,
    },
    {
      what: "hot-item purchases, req/s",
      goal: ">= 0.25x baseline",
      value: ratio("hot"),
      met: (v) => v >= 0.25,
      show: x,
    },
    {
      what: "spread purchases, req/s",
      goal: ">= 0.4x baseline",
      value: ratio("spread"),
      met: (v) => v >= 0.4,
      show: x,
    },
    {
      what: `ticket check p50 at ${fmt(sizes.at(-1)!)} vs ${fmt(sizes[0]!)} tickets`,
      goal: "<= 1.5x",
      value: (get) => {
        const a = get(first);
        const b = get(last);
        return a && b && sizes.length > 1 ? b.p50 / Math.max(a.p50, 1) : undefined;
      },
      met: (v) => v <= 1.5,
      show: x,
    },
  ];
}

export function renderReport(input: ReportInput): string {
  const { machine, settings, baseline, rows } = input;
  const byId = new Map(rows.filter((r) => r.id && r.result).map((r) => [r.id!, r.result!]));
  const out: string[] = [];
  out.push("# Benchmarks", "");
  out.push(
    `Written by \`pnpm bench${input.short ? " --short" : ""}\` (packages/bench) on ${input.started.toISOString().slice(0, 16).replace("T", " ")} UTC ` +
      `against the running stack, every request through nginx (http://localhost:8080) unless a row says otherwise, ` +
      `load from autocannon with ${settings.connections} connections for ${settings.duration} s per scenario; the whole run took ${fmt(input.seconds)} s. ` +
      "The load generator shares the machine, so only ratios within one run mean anything; " +
      "each ratio is the scenario's req/s over the kit baseline's (`GET /base_api/v1/health` through nginx), the two " +
      "measured in alternating rounds (2 x half the time each) so that both see the same background load; the " +
      "baseline's own figures are shown beside each scenario.",
    "",
  );
  out.push("| machine | |", "| --- | --- |");
  out.push(`| CPU | ${machine.cpu}, ${machine.cores} cores |`);
  out.push(`| memory | ${machine.memory} |`);
  out.push(`| OS | ${machine.kernel} |`);
  out.push(`| Node | ${machine.node} |`);
  out.push(`| Postgres | ${machine.postgres} |`);
  out.push(
    `| other load | 1-minute load average ${input.loadBefore.toFixed(2)} before the run, ${input.loadAfter.toFixed(2)} after |`,
    "",
  );

  out.push("## Results", "");
  out.push(
    "| scenario | req/s | ratio | p50 ms | p99 ms | non-2xx / errors | baseline beside it: req/s / p99 ms | note | CPU µs per request of the serving process (base, unless the row names another): scenario / baseline beside it (baseline / scenario) |",
  );
  out.push("| --- | ---: | ---: | ---: | ---: | --- | ---: | --- | ---: |");
  for (const row of rows) {
    const r = row.result;
    if (!r) {
      // A row without load figures: a failure, or a measurement of another kind given in its note.
      out.push(
        `| ${row.name} | | | | | | | ${row.error ? `**failed:** ${row.error}` : (row.note ?? "")} | |`,
      );
      continue;
    }
    const against = r.baseline ?? baseline;
    const ratioCell = against ? x(r.rps / against.rps) : "–";
    const baseCell = r.baseline ? `${fmt(r.baseline.rps)} / ${r.baseline.p99}` : "";
    out.push(
      `| ${row.name} | ${fmt(r.rps)} | ${ratioCell} | ${r.p50} | ${r.p99} | ${errorsCell(r)} | ${baseCell} | ${row.note ?? ""} | ${cpuCell(r)} |`,
    );
  }
  out.push("");

  if (baseline) {
    out.push("## Targets", "");
    out.push("| target | goal | this run | met |", "| --- | --- | ---: | --- |");
    for (const t of targets(settings.ticketSizes)) {
      const v = t.value((id) => byId.get(id), baseline);
      out.push(
        `| ${t.what} | ${t.goal} | ${v === undefined ? "–" : t.show(v)} | ${v === undefined ? "not run" : t.met(v) ? "yes" : "**no**"} |`,
      );
    }
    out.push("");
  }

  const ceiling = CEILING_PATHS.map((p) => ({
    ...p,
    kit: byId.get(`ceiling-${p.id}-kit`),
    bare: byId.get(`ceiling-${p.id}-bare`),
  })).filter((p) => p.kit && p.bare);
  if (ceiling.length > 0) {
    out.push("## The hot paths against their framework ceiling", "");
    out.push(
      "Each path answered by the stack through its nginx and by bare Express 5 + pg doing the same statement and " +
        "nothing else (`src/bare-hot-paths.ts`: `express.json()`, one prepared statement, `res.json()`; no " +
        "authentication, validation, request ids, logs, metrics or batching) behind its own nginx with the same " +
        "nginx.conf, in interleaved rounds, each beside its own server's `/health` (rows `ceiling:` above). The first " +
        "two columns are ratios of the targets' kind (the path's req/s over the same server's `/health` through " +
        "nginx): bare Express's is about the most such a ratio can be for this work on this machine. The last two " +
        "are the serving process's CPU per request (base's or the store's for the kit) and the kit's cost over bare " +
        "Express on the path.",
      "",
    );
    out.push(
      "| path | kit: path / its `/health` | bare Express + pg: path / its `/health` | CPU µs per request: kit / bare | bare / kit CPU |",
      "| --- | ---: | ---: | ---: | ---: |",
    );
    for (const p of ceiling) {
      const own = (r: LoadResult) => x(r.rps / r.baseline!.rps);
      out.push(
        `| ${p.what} | ${own(p.kit!)} | ${own(p.bare!)} | ${fmt(p.kit!.cpuMicros ?? 0)} / ${fmt(p.bare!.cpuMicros ?? 0)} | ${x((p.bare!.cpuMicros ?? 0) / Math.max(p.kit!.cpuMicros ?? 0, 0.001))} |`,
      );
    }
    out.push("");
  }

  if (input.changes) out.push(input.changes.trim(), "");

  out.push("## Peak memory", "");
  out.push(
    "Peak resident set size (VmHWM of the service's node process, reset at the start of the run, so the figure is " +
      "the peak during the bench).",
    "",
  );
  out.push("| service | peak RSS |", "| --- | ---: |");
  for (const { service, bytes } of input.rss) out.push(`| ${service} | ${fmt(bytes / 2 ** 20)} MiB |`);
  out.push("");
  return out.join("\n");
}
