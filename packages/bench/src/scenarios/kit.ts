import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { BASE, ENV } from "../env.js";
import { measure, measureInterleaved, type LoadResult, type LoadSettings } from "../load.js";
import { cpuMillis } from "../rss.js";
import type { Report } from "../report-types.js";

const BARE = fileURLToPath(new URL("../bare-express.mjs", import.meta.url));
const KIT = fileURLToPath(new URL("../kit-hello.ts", import.meta.url));

/**
 * Starts a server in its own node process (as the services run: one process each) and reads its port from the
 * first line it prints (stdout for the bare app, stderr for the kit app, whose stdout carries its logs).
 */
export async function startServer(args: string[], portOn: "stdout" | "stderr") {
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", portOn === "stdout" ? "pipe" : "ignore", portOn === "stderr" ? "pipe" : "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child[portOn]!.once("data", (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once("exit", (code) => reject(new Error(`${args.at(-1)} exited with ${code}`)));
  });
  return { port, pid: child.pid!, stop: () => child.kill() };
}

/**
 * The kit's floor and ceiling: `/health` through nginx is the baseline every ratio is taken against; `/health`
 * straight on the base port and a bare Express hello world on the same machine show the kit's own per-request
 * cost without nginx in between.
 */
/** Server CPU time per request over a fixed number of requests, in microseconds. */
async function cpuPerRequest(pid: number, url: string, amount: number, settings: LoadSettings) {
  const before = cpuMillis(pid);
  const result = await measure({ url, amount }, settings);
  return ((cpuMillis(pid) - before) * 1000) / Math.max(result.requests, 1);
}

export async function kitScenarios(settings: LoadSettings, report: Report): Promise<LoadResult> {
  const bare = await startServer([BARE], "stdout");
  const kit = await startServer(["--import", "tsx", KIT], "stderr");
  try {
    const [baseline, direct, kitHealth, kitHello, bareResult] = await measureInterleaved(
      [
        { url: `${BASE}/health` },
        { url: `http://127.0.0.1:${ENV.BASE_PORT ?? "8001"}/base_api/v1/health` },
        { url: `http://127.0.0.1:${kit.port}/kit/v1/health` },
        { url: `http://127.0.0.1:${kit.port}/kit/v1/hello` },
        { url: `http://127.0.0.1:${bare.port}/health` },
      ],
      settings,
    );
    const vsBare = (r: LoadResult) => `${(r.rps / bareResult!.rps).toFixed(2)}x bare Express`;
    // CPU per request does not depend on how the machine's other load schedules the two processes.
    const amount = settings.duration * 1000;
    const kitCpu = await cpuPerRequest(
      kit.pid,
      `http://127.0.0.1:${kit.port}/kit/v1/health`,
      amount,
      settings,
    );
    const bareCpu = await cpuPerRequest(bare.pid, `http://127.0.0.1:${bare.port}/health`, amount, settings);
    const cpuNote = `CPU per /health request: kit ${kitCpu.toFixed(0)} µs, bare Express ${bareCpu.toFixed(0)} µs (bare/kit ${(bareCpu / kitCpu).toFixed(2)}x)`;
    report({
      section: "kit",
      id: "baseline",
      name: "kit baseline `GET /base_api/v1/health` (nginx)",
      result: baseline!,
    });
    report({
      section: "kit",
      name: "base `GET /base_api/v1/health` straight on :8001 (no nginx)",
      result: direct!,
      note: `${vsBare(direct!)}; the stack's base also serves everything else that uses the stack`,
    });
    report({
      section: "kit",
      id: "direct",
      name: "kit app `GET /kit/v1/health`, started by the bench (no nginx)",
      result: { ...kitHealth!, cpuRatio: bareCpu / kitCpu },
      note: `${vsBare(kitHealth!)}; ${cpuNote}`,
    });
    report({
      section: "kit",
      name: "kit app `GET /kit/v1/hello` (an ApiRouter route: logged, validated), started by the bench (no nginx)",
      result: kitHello!,
      note: vsBare(kitHello!),
    });
    report({
      section: "kit",
      id: "bare",
      name: "bare Express 5 hello world, started by the bench (no nginx)",
      result: bareResult!,
      note: "the five kit rows are measured in interleaved rounds",
    });
    return baseline!;
  } finally {
    bare.stop();
    kit.stop();
  }
}
