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

export type RequestLineLevel = "info" | "warn" | "error";

export interface RequestLine {
  requestId: string;
  method: string;
  url: string;
  statusCode: number;
  /** Milliseconds, rounded. */
  responseTime: number;
}

/**
 * Writes the kit's one line per request straight to the logger's destination: the very JSON pino writes for
 * `logger[level]({ requestId, req: { method, url }, res: { statusCode }, responseTime }, msg)` with the logger's
 * level numbers, ISO time and bindings (app.test.ts compares the two), without pino's generic walk over the
 * object, which under load cost a robot request more than its own JSON answer (packages/bench CHANGES.md). For
 * loggers made by `createLogger` (no formatters, hooks or mixins; the fields hold no secret, so no redaction).
 */
export function requestLineWriter(
  logger: Logger,
): (level: RequestLineLevel, line: RequestLine, msg: string) => void {
  const stream = (logger as unknown as Record<symbol, { write(chunk: string): unknown }>)[
    pino.symbols.streamSym
  ]!;
  const bindings = (logger as unknown as Record<symbol, string>)[pino.symbols.chindingsSym] ?? "";
  const levels = logger.levels.values;
  return (level, line, msg) => {
    if (!logger.isLevelEnabled(level)) return;
    stream.write(
      `{"level":${levels[level]},"time":"${new Date().toISOString()}"${bindings},` +
        `"requestId":${JSON.stringify(line.requestId)},` +
        `"req":{"method":${JSON.stringify(line.method)},"url":${JSON.stringify(line.url)}},` +
        `"res":{"statusCode":${line.statusCode}},"responseTime":${line.responseTime},"msg":${JSON.stringify(msg)}}\n`,
    );
  };
}
