import { SingleBar } from "cli-progress";
import type { Io } from "./output.js";

/**
 * A JSON request body streamed in chunks, advancing a progress bar (in rows) as the bytes leave; no bar unless
 * stderr is a terminal.
 */
export function uploadWithProgress(
  io: Io,
  payload: unknown,
  rows: number,
  label: string,
): { body: ReadableStream<Uint8Array>; length: number; done: () => void } {
  const bytes = Buffer.from(JSON.stringify(payload));
  const bar = io.progress
    ? new SingleBar({
        format: `${label} [{bar}] {percentage}% | {value}/{total} rows`,
        hideCursor: true,
        stream: process.stderr,
      })
    : null;
  bar?.start(rows, 0);
  const chunk = 64 * 1024;
  let offset = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      const next = bytes.subarray(offset, offset + chunk);
      offset += next.length;
      bar?.update(Math.round((rows * offset) / bytes.length));
      controller.enqueue(next);
    },
  });
  return { body, length: bytes.length, done: () => bar?.stop() };
}
