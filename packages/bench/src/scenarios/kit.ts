import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { BASE, ENV } from "../env.js";
import { measureInterleaved, type LoadResult, type LoadSettings } from "../load.js";
import type { Report } from "../report-types.js";

const BARE = fileURLToPath(new URL("../bare-express.mjs", import.meta.url));

/** Starts the bare Express app in its own node process (as the services run: one process each). */
async function startBare(): Promise<{ port: number; pid: number; stop: () => void }> {
  const child = spawn(process.execPath, [BARE], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once("data", (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once("exit", (code) => reject(new Error(`bare express exited with ${code}`)));
  });
  return { port, pid: child.pid!, stop: () => child.kill() };
}

/**
 * The kit's floor and ceiling: `/health` through nginx is the baseline every ratio is taken against; `/health`
 * straight on the base port and a bare Express hello world on the same machine show the kit's own per-request
 * cost without nginx in between.
 */
export async function kitScenarios(settings: LoadSettings, report: Report): Promise<LoadResult> {
  const bare = await startBare();
  try {
    const [baseline, direct, bareResult] = await measureInterleaved(
      [
        { url: `${BASE}/health` },
        { url: `http://127.0.0.1:${ENV.BASE_PORT ?? "8001"}/base_api/v1/health` },
        { url: `http://127.0.0.1:${bare.port}/health` },
      ],
      settings,
    );
    report({
      section: "kit",
      id: "baseline",
      name: "kit baseline `GET /base_api/v1/health` (nginx)",
      result: baseline!,
    });
    report({
      section: "kit",
      id: "direct",
      name: "kit `GET /base_api/v1/health` straight on :8001 (no nginx)",
      result: direct!,
    });
    report({
      section: "kit",
      id: "bare",
      name: "bare Express 5 hello world (no nginx)",
      result: bareResult!,
      note: `kit/bare without nginx: ${(direct!.rps / bareResult!.rps).toFixed(2)}x (the three measured in interleaved rounds)`,
    });
    return baseline!;
  } finally {
    bare.stop();
  }
}
