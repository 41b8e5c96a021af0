import { fileURLToPath } from "node:url";
import { ENTRY } from "../env.js";
import type { Fixtures } from "../fixtures.js";
import { jsonHeaders, measureInterleaved, type LoadSpec, type LoadSettings } from "../load.js";
import { privateNginx } from "../private-nginx.js";
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

interface Server {
  origin: string;
  /** The process serving the path (its CPU time per request is reported). */
  pid: (service: "base" | "store") => number | undefined;
}

/**
 * The framework ceiling of each robot hot path. The targets are ratios of a path's req/s to the kit's `/health`,
 * both through nginx; here the same ratio is measured for bare Express 5 + pg doing the same statement and nothing
 * else (src/bare-hot-paths.ts) behind its own nginx with the repository's nginx.conf (src/private-nginx.ts), beside
 * the stack's own path and `/health` through the stack's nginx, all in interleaved rounds, with the serving
 * process's CPU time per request. Bare Express's ratio is about the most such a ratio can be for this work on this
 * machine; the CPU columns give the kit's cost over bare Express per path.
 */
export async function ceilingScenarios(fx: Fixtures, settings: LoadSettings, report: Report): Promise<void> {
  const { userId, checkBody } = await benchPassengerWithTicket(fx, "Bench ceiling");
  const store = await stockedStore(fx, 50, 10_000_000);
  const purchase = purchaseRequest(fx, store);
  const bare = await startServer(["--import", "tsx", BARE], "stdout");
  try {
    const nginx = await privateNginx(bare.port);
    try {
      const kit: Server = { origin: ENTRY, pid: (service) => servicePid(service) };
      const bareApp: Server = { origin: nginx.origin, pid: () => bare.pid };
      const headers = jsonHeaders(fx.robotToken);
      const health = (t: Server): LoadSpec => ({
        url: `${t.origin}/base_api/v1/health`,
        cpuPid: t.pid("base"),
      });
      const specs: Record<(typeof CEILING_PATHS)[number]["id"], (t: Server) => LoadSpec> = {
        user: (t) => ({
          url: `${t.origin}/base_api/v1/robot/user/${userId}`,
          headers,
          cpuPid: t.pid("base"),
        }),
        ticket: (t) => ({
          url: `${t.origin}/base_api/v1/robot/ticket_validation`,
          method: "POST",
          headers,
          body: checkBody,
          cpuPid: t.pid("base"),
        }),
        purchase: (t) => ({ url: t.origin, requests: [purchase], cpuPid: t.pid("store") }),
      };
      const [kitHealth, bareHealth, ...paths] = await measureInterleaved(
        [
          health(kit),
          health(bareApp),
          ...CEILING_PATHS.flatMap((p) => [specs[p.id](kit), specs[p.id](bareApp)]),
        ],
        settings,
        2,
      );
      for (const [i, path] of CEILING_PATHS.entries()) {
        const sides = [
          { who: "kit", name: "the stack", result: paths[2 * i]!, health: kitHealth! },
          {
            who: "bare",
            name: "bare Express 5 + pg behind its own nginx",
            result: paths[2 * i + 1]!,
            health: bareHealth!,
          },
        ];
        for (const side of sides) {
          const r = side.result;
          const failed = r.requests - (r.statuses["200"] ?? 0);
          if (failed > 0) throw new Error(`${side.who} ${path.what}: answers ${JSON.stringify(r.statuses)}`);
          report({
            section,
            id: `ceiling-${path.id}-${side.who}`,
            name: `ceiling: ${path.what}, ${side.name} (through nginx)`,
            result: { ...r, baseline: side.health },
            note:
              `ratio to the same server's \`/health\` through nginx; CPU per request of the serving process ` +
              `(${side.who === "kit" ? path.service : "the bare app"}) ${r.cpuMicros?.toFixed(0)} µs, ` +
              `its \`/health\` ${side.health.cpuMicros?.toFixed(0)} µs`,
          });
        }
      }
    } finally {
      await nginx.stop();
    }
  } finally {
    bare.stop();
  }
}
