import { pino, type Logger } from "pino";

/** Fields that must never reach a log line. */
export const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'res.headers["set-cookie"]',
  "password",
  "*.password",
  "token",
  "*.token",
  "public_key",
  "*.public_key",
  "code",
  "*.code",
];

/**
 * JSON lines on stdout. Written asynchronously (lines logged while a write is in flight go out together in the
 * next one) instead of one blocking write per line: under load that was a visible share of every request's CPU.
 * pino flushes what is pending when the process exits.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino(
    {
      name: service,
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    },
    pino.destination({ dest: 1, sync: false }),
  );
}
