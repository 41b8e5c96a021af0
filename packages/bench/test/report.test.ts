import { describe, expect, it } from "vitest";
import type { LoadResult } from "../src/load.js";
import { renderReport } from "../src/report.js";
import type { Row } from "../src/report-types.js";

const result = (rps: number, p99 = 10): LoadResult => ({
  rps,
  p50: 5,
  p99,
  requests: rps * 8,
  errors: 0,
  statuses: { "200": rps * 8 },
  seconds: 8,
});

const render = (rows: Row[]) =>
  renderReport({
    short: true,
    machine: { cpu: "cpu", cores: 2, memory: "1 GiB", node: "v20", postgres: "15", kernel: "Linux" },
    settings: {
      short: true,
      duration: 2,
      connections: 32,
      ticketSizes: [10_000, 1_000_000],
      faceSizes: [1_000],
      purchaseSizes: [1_000],
    },
    started: new Date("2026-01-01T00:00:00Z"),
    seconds: 60,
    loadBefore: 1,
    loadAfter: 1,
    baseline: rows[0]!.result,
    rows,
    rss: [{ service: "base", bytes: 100 * 2 ** 20 }],
  });

const targetLine = (report: string, what: string) =>
  report.split("\n").find((l) => l.startsWith(`| ${what}`));

describe("the report", () => {
  it("gives each scenario its ratio to the baseline and judges the targets from this run's figures", () => {
    const report = render([
      { section: "kit", id: "baseline", name: "baseline", result: result(1000) },
      { section: "robot", id: "user", name: "user lookup", result: result(790, 25) },
      { section: "purchases", id: "hot", name: "hot", result: result(260) },
      { section: "tickets", id: "ticket-check-10000", name: "check 10k", result: result(700) },
      {
        section: "tickets",
        id: "ticket-check-1000000",
        name: "check 1M",
        result: { ...result(650), p50: 8 },
      },
    ]);
    expect(report).toContain("| user lookup | 790 | 0.79x | 5 | 25 | 0 |  |");
    expect(targetLine(report, "user lookup, req/s")).toMatch(/0\.79x \| \*\*no\*\* \|$/);
    expect(targetLine(report, "user lookup, p99")).toMatch(/2\.50x \| \*\*no\*\* \|$/);
    expect(targetLine(report, "hot-item purchases")).toMatch(/0\.26x \| yes \|$/);
    expect(targetLine(report, "ticket check by code, req/s")).toMatch(/0\.70x \| yes \|$/);
    expect(targetLine(report, "ticket check p50 at 1,000,000")).toMatch(/1\.60x \| \*\*no\*\* \|$/);
    expect(targetLine(report, "spread purchases")).toMatch(/– \| not run \|$/);
    expect(report).toContain("| base | 100 MiB |");
  });

  it("takes a scenario's ratio against the baseline measured beside it when there is one", () => {
    const report = render([
      { section: "kit", id: "baseline", name: "baseline", result: result(1000) },
      {
        section: "robot",
        id: "user",
        name: "user lookup",
        result: { ...result(400, 30), baseline: result(500, 20) },
      },
    ]);
    expect(report).toContain("| user lookup | 400 | 0.80x | 5 | 30 | 0 | 500 / 20 |");
    expect(targetLine(report, "user lookup, req/s")).toMatch(/0\.80x \| yes \|$/);
    expect(targetLine(report, "user lookup, p99")).toMatch(/1\.50x \| yes \|$/);
  });

  it("gives the service's CPU time per request beside the baseline's, and their ratio", () => {
    const report = render([
      { section: "kit", id: "baseline", name: "baseline", result: result(1000) },
      {
        section: "tickets",
        id: "ticket-check-10000",
        name: "check 10k",
        result: { ...result(400), cpuMicros: 240, baseline: { ...result(900), cpuMicros: 100 } },
      },
    ]);
    const line = report.split("\n").find((l) => l.startsWith("| check 10k"))!;
    expect(line).toMatch(/\| 240 \/ 100 \(0\.42x\) \|$/);
  });

  it("sets each hot path against bare Express doing the same work, each beside its own server's /health", () => {
    const beside = (rps: number, cpu: number, healthRps: number, healthCpu: number): LoadResult => ({
      ...result(rps),
      cpuMicros: cpu,
      baseline: { ...result(healthRps), cpuMicros: healthCpu },
    });
    const report = render([
      { section: "kit", id: "baseline", name: "baseline", result: result(1000) },
      {
        section: "ceiling",
        id: "ceiling-ticket-kit",
        name: "ticket kit",
        result: beside(600, 250, 1000, 150),
      },
      {
        section: "ceiling",
        id: "ceiling-ticket-bare",
        name: "ticket bare",
        result: beside(550, 200, 1100, 110),
      },
      // A path with only one side measured has no line in the table.
      { section: "ceiling", id: "ceiling-user-kit", name: "user kit", result: beside(700, 180, 1000, 150) },
    ]);
    const table = report.slice(report.indexOf("## The hot paths against their framework ceiling"));
    expect(table).toContain(
      "| ticket check by code (`mark_as_used: false`) | 0.60x | 0.50x | 250 / 200 | 0.80x |",
    );
    expect(table).not.toContain("| user lookup");
    // The rows themselves take their ratio against their own server's /health.
    expect(report).toContain("| ticket bare | 550 | 0.50x |");
  });

  it("has no ceiling table when the ceiling section did not run", () => {
    const report = render([{ section: "kit", id: "baseline", name: "baseline", result: result(1000) }]);
    expect(report).not.toContain("framework ceiling");
  });

  it("shows a failed scenario group with its reason instead of figures", () => {
    const report = render([
      { section: "kit", id: "baseline", name: "baseline", result: result(1000) },
      { section: "purchases", name: "purchases scenarios stopped", error: "stock check failed" },
      { section: "tickets", name: "offline check", note: "133 µs/code" },
    ]);
    expect(report).toContain("| offline check | | | | | | | 133 µs/code |");
    expect(report).toContain("| purchases scenarios stopped | | | | | | | **failed:** stock check failed |");
  });
});
