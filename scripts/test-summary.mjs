#!/usr/bin/env node
// @ts-check
// Adds up the vitest JSON reports (test-results.json) of every workspace package that has a "test" script and
// prints one final line: `N passed, N failed` (+ `, N skipped` when tests were skipped or todo).
// Exits non-zero when a test failed, a test file failed to load, or a package produced no report (crashed).
// Used by `scripts/stack test`; run it alone after `pnpm test` as `node scripts/test-summary.mjs`.
// RAIL_TEST_STARTED_AT (ms since epoch), when set, makes older reports count as missing.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const since = Number(process.env.RAIL_TEST_STARTED_AT ?? 0);

let passed = 0;
let failed = 0;
let skipped = 0;
const problems = [];

// Workspace packages: scripts/ (the stack's own unit tests) and everything under packages/ and services/.
/** @type {Array<[string, string]>} [group directory, package directory] */
const packageDirs = [[ROOT, "scripts"]];
for (const group of ["packages", "services"]) {
  const groupDir = path.join(ROOT, group);
  if (fs.existsSync(groupDir))
    for (const dir of fs.readdirSync(groupDir).sort()) packageDirs.push([groupDir, dir]);
}

for (const [groupDir, dir] of packageDirs) {
  const group = path.relative(ROOT, groupDir) || ".";
  const pkgFile = path.join(groupDir, dir, "package.json");
  if (!fs.existsSync(pkgFile)) continue;
  const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8"));
  if (!pkg.scripts?.test) continue;
  const name = pkg.name ?? `${group}/${dir}`;
  const reportFile = path.join(groupDir, dir, "test-results.json");
  if (!fs.existsSync(reportFile) || fs.statSync(reportFile).mtimeMs < since) {
    problems.push(
      `${name}: no test report (${group}/${dir}/test-results.json) — the test run crashed or did not run`,
    );
    continue;
  }
  let report;
  try {
    report = JSON.parse(fs.readFileSync(reportFile, "utf8"));
  } catch (err) {
    problems.push(`${name}: unreadable test report: ${err instanceof Error ? err.message : err}`);
    continue;
  }
  const p = report.numPassedTests ?? 0;
  const f = report.numFailedTests ?? 0;
  const s = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  passed += p;
  failed += f;
  skipped += s;
  // A test file that fails to import/compile fails its suite without any failed test.
  /** @type {Array<{ name: string, status: string, message?: string, assertionResults?: Array<{ status: string }> }>} */
  const files = report.testResults ?? [];
  const brokenFiles = files.filter(
    (r) => r.status === "failed" && !(r.assertionResults ?? []).some((a) => a.status === "failed"),
  );
  for (const r of brokenFiles) {
    problems.push(
      `${name}: ${path.relative(ROOT, r.name)} failed to run: ${(r.message ?? "").split("\n")[0]}`,
    );
  }
  if (report.numTotalTests === 0 && (report.numTotalTestSuites ?? 0) === 0)
    problems.push(`${name}: no tests found`);
  console.log(`  ${name.padEnd(16)} ${p} passed, ${f} failed${s ? `, ${s} skipped` : ""}`);
}

for (const p of problems) console.log(`  ERROR ${p}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || problems.length > 0 ? 1 : 0);
