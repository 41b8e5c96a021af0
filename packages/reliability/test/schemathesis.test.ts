import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ROOT,
  SERVICES,
  SUITE_ADDRESS,
  runAsync,
  createTokens,
  type ServiceName,
  type TokenKind,
  type Tokens,
} from "./support.js";

const SCHEMATHESIS_VERSION = "4.32.5";
const VENV = path.join(ROOT, ".stack", "reliability", "venv");
const BIN = path.join(VENV, "bin", "schemathesis");
/** Examples per operation: bounded so the suite takes minutes in CI, deterministic so a failure reproduces. */
const EXAMPLES = Number(process.env.RELIABILITY_EXAMPLES ?? 3);

/** A virtualenv with schemathesis from PyPI, made once under .stack/ (pip's own download cache is reused). */
function ensureSchemathesis(): void {
  const version = existsSync(BIN) ? spawnSync(BIN, ["--version"], { encoding: "utf8" }).stdout : "";
  if (version.includes(SCHEMATHESIS_VERSION)) return;
  console.log(`reliability: installing schemathesis ${SCHEMATHESIS_VERSION} into ${VENV} (pip)…`);
  mkdirSync(path.dirname(VENV), { recursive: true });
  const python = process.env.PYTHON ?? "python3";
  const steps: [string, string[]][] = [
    [python, ["-m", "venv", VENV]],
    [path.join(VENV, "bin", "pip"), ["install", "--quiet", `schemathesis==${SCHEMATHESIS_VERSION}`]],
  ];
  for (const [cmd, args] of steps) {
    let r = spawnSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "inherit", "pipe"] });
    if (r.status !== 0 && args[1] === "venv" && /ensurepip|venv/.test(r.stderr) && process.getuid?.() === 0) {
      // Debian's python3 keeps venv in a package of its own.
      console.log("reliability: apt-get install python3-venv…");
      spawnSync("apt-get", ["install", "-y", "-q", "python3-venv"], { stdio: "inherit" });
      r = spawnSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "inherit", "pipe"] });
    }
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
  }
}

/** Which operations each identity is fuzzed on (anonymous: all of them, which must all refuse or answer cleanly). */
const RUNS: { service: ServiceName; as: TokenKind | "anonymous"; include?: string }[] = [
  { service: "base", as: "anonymous" },
  { service: "base", as: "engineer", include: "^/(admin|auth)/" },
  { service: "base", as: "robot", include: "^/robot/" },
  { service: "base", as: "service", include: "^/internal/" },
  { service: "store", as: "anonymous" },
  { service: "store", as: "engineer", include: "^/admin/" },
  { service: "store", as: "robot", include: "^/robot/" },
  { service: "store", as: "store", include: "^/store/" },
  { service: "store", as: "service", include: "^/internal/" },
  { service: "face", as: "anonymous" },
  { service: "face", as: "service" },
];

/**
 * schemathesis over each service's OpenAPI document, anonymously and with each kind of credentials: no 5xx, every
 * response matches its documented schema, every status is documented.
 */
describe("schemathesis finds no server error and no undocumented answer", () => {
  let tokens: Tokens;
  beforeAll(async () => {
    ensureSchemathesis();
    tokens = await createTokens();
  });
  afterAll(() => tokens?.close());

  for (const run of RUNS) {
    it(`${run.service} as ${run.as}${run.include ? ` on ${run.include}` : ""}`, async () => {
      const url = SERVICES[run.service].url;
      const args = [
        "run",
        `${url}/openapi.json`,
        "--url",
        url,
        "--checks",
        "not_a_server_error,response_schema_conformance,status_code_conformance",
        "--phases",
        "fuzzing",
        "--max-examples",
        String(EXAMPLES),
        "--generation-deterministic",
        "--request-timeout",
        "30",
        "--header",
        `X-Forwarded-For: ${SUITE_ADDRESS}`,
        "--exclude-checks",
        "unsupported_method",
        ...(run.as === "anonymous"
          ? []
          : [
              "--header",
              `Authorization: Bearer ${tokens.byKind[run.as]}`,
              // The suite's own services write to throwaway databases, so DELETE and the engineer routes are
              // fuzzed too. Event streams (server-sent events) never end: they are left to their own tests.
              "--exclude-path-regex",
              "/events$",
            ]),
        ...(run.include ? ["--include-path-regex", run.include] : []),
        "--no-color",
      ];
      // Run inside .stack/reliability: schemathesis and hypothesis keep their example caches in the working directory.
      // Asynchronously: a worker blocked for a minute misses vitest's own messages.
      const r = await runAsync(BIN, args, {
        cwd: path.dirname(VENV),
        env: { ...process.env, SCHEMATHESIS_TELEMETRY: "false" },
      });
      expect(r.status, r.output.slice(-6000)).toBe(0);
    });
  }
});
