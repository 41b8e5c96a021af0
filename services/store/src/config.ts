import { z } from "zod";
import { baseServiceEnv, env, loadConfig } from "@rail/common";

const DAY_SECONDS = 24 * 60 * 60;

export const configSchema = z.object({
  ...baseServiceEnv,
  PORT: env.port(8002),
  DATABASE_URL: z.url(),
  REDIS_URL: z.url(),
  SESSION_TTL_SECONDS: env.int(3600),
  MIGRATE_ON_START: env.optionalBool(),
  // Other services and the internal admin API authenticate with this shared secret.
  INTERNAL_SERVICE_TOKEN: z.string().min(16),
  // Robots retry purchases over train Wi-Fi for a long time; keys must outlive any realistic retry window.
  IDEMPOTENCY_TTL_SECONDS: z.coerce.number().int().min(DAY_SECONDS).default(DAY_SECONDS),
  BASE_API_URL: z.url().default("http://127.0.0.1:8001/base_api/v1"),
  // Off by default: robot purchases then also depend on the base service being up.
  VERIFY_BUYERS_WITH_BASE: env.bool(false),
  // Have base forget a store (DELETE /internal/stores/{id}: train-run bindings, terminal key) before deleting it;
  // the delete answers 503 while base cannot. Off by default (a store without a base service); the stack
  // turns it on.
  UNBIND_IN_BASE: env.bool(false),
  // Report admin mutations to the base service's audit log (POST /internal/audit). Off by default so tests and
  // a store without a base service stay quiet; the stack turns it on.
  AUDIT_TO_BASE: env.bool(false),
  // Audit outbox delivery (src/audit/audit.outbox.ts): how often due reports are looked for, the longest wait
  // between retries while the base service is down, and when a begun action that never answered is sent anyway.
  AUDIT_DELIVERY_INTERVAL_SECONDS: z.coerce.number().min(0.05).max(3600).default(5),
  AUDIT_RETRY_MAX_SECONDS: z.coerce.number().min(0.05).max(3600).default(60),
  AUDIT_STALE_AFTER_SECONDS: z.coerce.number().min(0).max(86400).default(600),
  // Comment lines on the task event streams: below nginx's 60 s proxy_read_timeout, and how soon a revoked
  // terminal's open stream ends.
  TASK_EVENTS_HEARTBEAT_SECONDS: z.coerce.number().min(0.05).max(50).default(15),
});
export type Config = z.infer<typeof configSchema>;

export const readConfig = (source: NodeJS.ProcessEnv = process.env) => loadConfig(configSchema, source);
