import path from "node:path";
import { fileURLToPath } from "node:url";
import { runMain } from "@rail/common";
import { prepareApiService } from "@rail/common/bootstrap";
import { buildApp } from "./app.js";
import { createAuditOutbox } from "./audit/audit.outbox.js";
import { readConfig } from "./config.js";
import { createDb } from "./db.js";

const SERVICE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

runMain(async () => {
  const config = readConfig();
  const { logger, db, redis, sessions, serve } = await prepareApiService({
    name: "store",
    serviceDir: SERVICE_DIR,
    config,
    createDb,
  });
  // Admin actions reach the base service's audit log through the store's own outbox (src/audit/).
  const auditOutbox = createAuditOutbox({ config, db, logger });
  await serve(buildApp({ config, db, redis, logger, sessions, auditOutbox }), async () =>
    auditOutbox?.stop(),
  );
  auditOutbox?.start();
});
