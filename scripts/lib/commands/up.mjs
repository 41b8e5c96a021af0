// @ts-check
import { spawnSync } from "node:child_process";
import path from "node:path";
import { PORTS } from "../env.mjs";
import { stopPart, up } from "../lifecycle.mjs";
import { REPLICAS } from "../parts/index.mjs";
import { parseReplicas, readReplicas, replicaInstances, writeReplicas } from "../replicas.mjs";
import { ROOT } from "../util.mjs";
import { defineCommand } from "./command.mjs";

export default defineCommand({
  usage: "[--infra] [--replicas base=2,store=2]",
  summary:
    "start Postgres, Redis, Chroma, Keycloak (+ base, store, face, frontend, nginx unless --infra); " +
    "--replicas runs more instances of base/store/face behind nginx (remembered; base=1 goes back)",
  options: { infra: { type: "boolean" }, replicas: { type: "string" } },
  async run({ values }) {
    if (typeof values.replicas === "string") {
      const wanted = { ...readReplicas(), ...parseReplicas(values.replicas) };
      const keep = new Set(replicaInstances(wanted, PORTS).map((r) => r.part));
      for (const part of REPLICAS) if (!keep.has(part.name)) await stopPart(part);
      writeReplicas(wanted);
      // The parts list (and nginx's upstreams) is read at start-up: continue in a fresh process.
      const args = [
        path.join(ROOT, "scripts", "lib", "main.mjs"),
        "up",
        ...(values.infra ? ["--infra"] : []),
      ];
      return spawnSync(process.execPath, args, { cwd: ROOT, stdio: "inherit" }).status ?? 1;
    }
    await up({ infra: values.infra === true });
    return 0;
  },
});
