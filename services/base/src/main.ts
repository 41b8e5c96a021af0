import path from "node:path";
import { fileURLToPath } from "node:url";
import { runMain } from "@rail/common";
import { prepareApiService } from "@rail/common/bootstrap";
import { buildApp, createServiceClients } from "./app.js";
import { AuditRecoveryJob } from "./audit/audit.recovery.js";
import { AuditRepository } from "./audit/audit.repository.js";
import { AuditService } from "./audit/audit.service.js";
import { readConfig } from "./config.js";
import { createDb } from "./db.js";
import { ensureBootstrapEngineer } from "./engineers/engineers.service.js";
import { HoldsExpiryJob } from "./holds/holds.job.js";
import { HoldsRepository } from "./holds/holds.repository.js";

const SERVICE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

runMain(async () => {
  const config = readConfig();
  const { logger, db, redis, sessions, serve } = await prepareApiService({
    name: "base",
    serviceDir: SERVICE_DIR,
    config,
    createDb,
  });
  await ensureBootstrapEngineer({ db, config, logger });
  // Every replica runs it; SKIP LOCKED keeps them from releasing a hold twice (src/holds/holds.job.ts).
  const holdExpiry = new HoldsExpiryJob(new HoldsRepository(db), logger, {
    intervalMs: config.HOLD_EXPIRY_INTERVAL_SECONDS * 1000,
    batch: 500,
  });
  // Admin actions a stopped process began but never finished still reach the audit log (src/audit/).
  const auditRecovery = new AuditRecoveryJob(new AuditService(new AuditRepository(db)), logger);
  await serve(buildApp({ config, db, redis, logger, sessions, ...createServiceClients(config) }), () =>
    Promise.all([holdExpiry.stop(), auditRecovery.stop()]).then(() => undefined),
  );
  holdExpiry.start();
  auditRecovery.start();
});
