import bytes from "bytes";
import express, { type Request, type RequestHandler } from "express";

// body-parser's strict-mode rule: the first character that is not JSON whitespace opens an object or an array.
const FIRST_CHAR = /^[ \t\n\r]*([^ \t\n\r])/;

/** The error body-parser raises for unparsable JSON (the kit's error handler answers it with 422 json_invalid). */
function parseFailure(message: string, text: string): Error {
  return Object.assign(new SyntaxError(message), {
    status: 400,
    statusCode: 400,
    expose: true,
    type: "entity.parse.failed",
    body: text,
  });
}

/** What body-parser's JSON parser makes of a UTF-8 body (leading BOM dropped, strict mode). */
export function parseJsonText(text: string): unknown {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const first = FIRST_CHAR.exec(text)?.[1];
  if (first !== "{" && first !== "[")
    throw parseFailure(`Unexpected token ${first ?? "end of input"} in JSON (not an object or array)`, text);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw parseFailure((e as Error).message, text);
  }
}

/** Whether the request carries a body at all (type-is's rule: a Transfer-Encoding or a Content-Length). */
function hasBody(req: Request): boolean {
  return req.headers["transfer-encoding"] !== undefined || req.headers["content-length"] !== undefined;
}

/**
 * `express.json({ limit })` with a short path for what the robots, terminals and browsers send: a plain
 * `application/json` (or `; charset=utf-8`) body of a known, non-zero length within the limit, not compressed. It
 * reads the bytes and parses them exactly as body-parser would (same strictness, same error for bad JSON); every
 * other request (chunked, gzip, other charsets, odd media types, an empty or too large body) goes to body-parser
 * itself. Why: body-parser's generic path (media-type and charset parsing, an iconv decoder, raw-body's listeners
 * and async-resource bookkeeping) was a measurable share of a robot's ticket check and of a store purchase
 * (packages/bench CHANGES.md); a request without a body skips the parser entirely. `general` is what handles the
 * rest (express.json with the same limit; tests pass a spy).
 */
export function jsonBody(limit: string, general: RequestHandler = express.json({ limit })): RequestHandler {
  const maxBytes = bytes.parse(limit) ?? Infinity;
  return (req, res, next) => {
    if (!hasBody(req)) return next();
    const type = req.headers["content-type"]?.toLowerCase();
    const length = Number(req.headers["content-length"]);
    const plain =
      (type === "application/json" || type === "application/json; charset=utf-8") &&
      req.headers["transfer-encoding"] === undefined &&
      (req.headers["content-encoding"] ?? "identity").toLowerCase() === "identity" &&
      Number.isInteger(length) &&
      length > 0 &&
      length <= maxBytes &&
      !req.readableEnded;
    if (!plain) return general(req, res, next);

    const chunks: Buffer[] = [];
    let settled = false;
    const settle = (err?: unknown) => {
      if (settled) return;
      settled = true;
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
      next(err);
    };
    const onData = (chunk: Buffer) => chunks.push(chunk);
    const onEnd = () => {
      const buffer = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      try {
        req.body = parseJsonText(buffer.toString("utf8"));
      } catch (e) {
        return settle(e);
      }
      settle();
    };
    // The client went away before the whole body came: nobody is left to answer, but the chain must not hang.
    const aborted = () =>
      Object.assign(new Error("request aborted"), { status: 400, expose: true, type: "request.aborted" });
    const onError = () => settle(aborted());
    const onClose = () => settle(aborted());
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  };
}
