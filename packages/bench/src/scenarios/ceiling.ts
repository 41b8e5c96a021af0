import { fileURLToPath } from "node:url";
import { ENV } from "../env.js";
import type { Fixtures } from "../fixtures.js";
import {
  jsonHeaders,
  measureInterleaved,
  type LoadResult,
  type LoadSettings,
  type LoadSpec,
} from "../load.js";
import type { Report } from "../report-types.js";
import { servicePid } from "../rss.js";
import { startServer } from "./kit.js";
import { purchaseRequest, stockedStore } from "./purchases.js";
import { benchPassengerWithTicket } from "./tickets.js";

const section = "ceiling";
const BARE = fileURLToPath(new URL("../bare-hot-paths.ts", import.meta.url));

/** The hot paths compared, in the order of the report's ceiling table. */
export const CEILING_PATHS = [
  { id: "user", what: "user lookup `GET /robot/user/{id}`", service: "base" },
  { id: "ticket", what: "ticket check by code (`mark_as_used: false`)", service: "base" },
  { id: "purchase", what: "purchase of one item (50 items)", service: "store" },
] as const;

/**
 * The framework ceiling of each robot hot path: the stack's service answering it straight on its port, beside a
 * bare Express 5 + pg app doing the same statement and nothing else (src/bare-hot-paths.ts), and each one's
 * `/health`, all in interleaved rounds with the serving process's CPU time per request. The targets are
 * ratios to the kit's `/health`; this shows what the same ratio is for bare Express on the same path (how high
 * such a ratio can be at all on this machine), and how much the kit costs over bare Express per path.
 */
export async function ceilingScenarios(fx: Fixtures, settings: LoadSettings, report: Report): Promise<void> {
  const basePort = ENV.BASE_PORT ?? "8001";
  const storePort = ENV.STORE_PORT ?? "8002";
  const { userId, checkBody } = await benchPassengerWithTicket(fx, "Bench ceiling");
  const store = await stockedStore(fx, 50, 10_000_000);
  const purchase = purchaseRequest(fx, store);
  const bare = await startServer(["--import", "tsx", BARE], "stdout");
  try {
    const kitBase = { origin: `http://127.0.0.1:${basePort}`, pid: servicePid("base") };
    const kitStore = { origin: `http://127.0.0.1:${storePort}`, pid: servicePid("store") };
    const bareApp = { origin: `http://127.0.0.1:${bare.port}`, pid: bare.pid };
    const headers = jsonHeaders(fx.robotToken);
    type Server = { origin: string; pid: number | undefined };
    const user = (t: Server): LoadSpec => ({
      url: `${t.origin}/base_api/v1/robot/user/${userId}`,
      headers,
      cpuPid: t.pid,
    });
    const ticket = (t: Server): LoadSpec => ({
      url: `${t.origin}/base_api/v1/robot/ticket_validation`,
      method: "POST",
      headers,
      body: checkBody,
      cpuPid: t.pid,
    });
    const buy = (t: Server): LoadSpec => ({ url: t.origin, requests: [purchase], cpuPid: t.pid });
    const [kitBaseHealth, kitStoreHealth, bareHealth, ...paths] = await measureInterleaved(
      [
        { url: `${kitBase.origin}/base_api/v1/health`, cpuPid: kitBase.pid },
        { url: `${kitStore.origin}/store_api/v1/health`, cpuPid: kitStore.pid },
        { url: `${bareApp.origin}/health`, cpuPid: bareApp.pid },
        user(kitBase),
        user(bareApp),
        ticket(kitBase),
        ticket(bareApp),
        buy(kitStore),
        buy(bareApp),
      ],
      settings,
      2,
    );
    for (const [i, path] of CEILING_PATHS.entries()) {
      const kit = paths[2 * i]!;
      const bareResult = paths[2 * i + 1]!;
      for (const [who, r] of [["kit", kit] as const, ["bare", bareResult] as const]) {
        const failed = r.requests - (r.statuses["200"] ?? 0);
        if (failed > 0) throw new Error(`${who} ${path.what}: answers ${JSON.stringify(r.statuses)}`);
      }
      const kitHealth = path.service === "base" ? kitBaseHealth! : kitStoreHealth!;
      const rows: [string, LoadResult, LoadResult][] = [
        [`${path.service} straight on :${path.service === "base" ? basePort : storePort}`, kit, kitHealth],
        ["bare Express 5 + pg, started by the bench", bareResult, bareHealth!],
      ];
      for (const [where, r, health] of rows)
        report({
          section,
          id: `ceiling-${path.id}-${where.startsWith("bare") ? "bare" : "kit"}`,
          name: `${path.what}, ${where} (no nginx)`,
          result: { ...r, baseline: health },
          note:
            `${(r.rps / health.rps).toFixed(2)}x its own \`/health\` (${health.rps.toFixed(0)} req/s); ` +
            `CPU per request ${r.cpuMicros?.toFixed(0)} µs, its \`/health\` ${health.cpuMicros?.toFixed(0)} µs`,
        });
    }
  } finally {
    bare.stop();
  }
}
