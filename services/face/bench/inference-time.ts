/**
 * Time per image at 640x480 and 1920x1080 (the six face-api sample photos cropped to each size), end to end as
 * the service does it: sharp decode of the JPEG -> RGB, then detection + landmarks + 128-d descriptors in a
 * worker. Latency with one worker (sequential), then throughput with FACE_WORKERS workers (default 2).
 * Run: pnpm exec tsx bench/inference-time.ts
 */
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import sharp from "sharp";
import { pino } from "pino";
import { decodeImage } from "../src/inference/image-decoder.js";
import { InferencePool, localModelPaths } from "../src/inference/inference.pool.js";
import type { DescriptorMode } from "../src/inference/inference.types.js";

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const WORKERS = Number(process.env.FACE_WORKERS ?? 2);
const demo = path.join(path.dirname(localModelPaths().modelDir), "demo");
const logger = pino({ level: "warn" });

async function images(width: number, height: number) {
  const out: Buffer[] = [];
  for (let i = 1; i <= 6; i++)
    out.push(
      await sharp(path.join(demo, `sample${i}.jpg`))
        .resize(width, height, { fit: "cover" })
        .jpeg({ quality: 90 })
        .toBuffer(),
    );
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(pool: InferencePool, jpegs: Buffer[], mode: DescriptorMode) {
  const decodeMs: number[] = [];
  const inferMs: number[] = [];
  let faces = 0;
  for (let r = 0; r < ROUNDS; r++) {
    for (const jpeg of jpegs) {
      const t0 = performance.now();
      const image = await decodeImage(jpeg, { maxBytes: 1e8, maxInferenceSide: 1920 });
      const t1 = performance.now();
      faces += (await pool.analyze(image, mode)).length;
      decodeMs.push(t1 - t0);
      inferMs.push(performance.now() - t1);
    }
  }
  return {
    decode: median(decodeMs),
    infer: median(inferMs),
    total: median(decodeMs.map((d, i) => d + inferMs[i]!)),
    faces: faces / ROUNDS,
  };
}

async function throughput(pool: InferencePool, jpegs: Buffer[]) {
  const all = Array.from({ length: ROUNDS }, () => jpegs).flat();
  const t0 = performance.now();
  await Promise.all(
    all.map(async (jpeg) =>
      pool.analyze(await decodeImage(jpeg, { maxBytes: 1e8, maxInferenceSide: 1920 }), "largest"),
    ),
  );
  return (all.length / (performance.now() - t0)) * 1000;
}

console.log(
  `${os.cpus()[0]?.model} x${os.cpus().length}, Node ${process.version}, rounds ${ROUNDS} x 6 photos`,
);
const single = new InferencePool({ size: 1, minConfidence: 0.5, maxFaces: 20, logger });
const t0 = performance.now();
await single.start();
console.log(`model load + warm-up (1 worker): ${(performance.now() - t0).toFixed(0)} ms`);
const sizes: [number, number][] = [
  [640, 480],
  [1920, 1080],
];
const MODES: [DescriptorMode, string][] = [
  ["none", "detect + landmarks (POST /detect)"],
  ["largest", "+ descriptor of the largest face (search, verify, enrol)"],
  ["all", "+ descriptors of every face"],
];
for (const [w, h] of sizes) {
  const jpegs = await images(w, h);
  for (const [mode, label] of MODES) {
    const r = await measure(single, jpegs, mode);
    console.log(
      `${w}x${h} ${label}: median ${r.total.toFixed(0)} ms per image (decode ${r.decode.toFixed(0)} + inference ${r.infer.toFixed(0)}), ${r.faces} faces in 6 photos`,
    );
  }
}
await single.close();
const pool = new InferencePool({ size: WORKERS, minConfidence: 0.5, maxFaces: 20, logger });
await pool.start();
for (const [w, h] of sizes)
  console.log(
    `${w}x${h}: throughput with ${WORKERS} workers ${(await throughput(pool, await images(w, h))).toFixed(2)} images/s`,
  );
await pool.close();
