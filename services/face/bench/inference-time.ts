/**
 * Time per image, end to end as the service does it: sharp decode of the JPEG -> RGB, then detection +
 * landmarks + 128-d descriptors in a worker. Images: the six face-api sample photos cropped to 640x480 and
 * 1920x1080 (3.5 faces per photo), and 640x480 camera-like frames with one person (each of the 21 sample faces
 * centred on a plain background, as a robot's camera sees the passenger in front of it).
 *
 * Baseline in the same run (the machine is shared, so absolute times drift with the load; ratios do not): the
 * pipeline as it was before issue 14, run in this process with face-api's own high-level API: SSD MobileNet v1,
 * landmarks for every face, descriptor of the largest.
 *
 * Latency with one worker (sequential), then throughput with FACE_WORKERS workers (default 2).
 * Run: pnpm exec tsx bench/inference-time.ts   (env: ROUNDS=3 TINY_INPUT_SIZE=416)
 */
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import sharp from "sharp";
import { pino } from "pino";
import type * as FaceApi from "@vladmandic/face-api";
import type * as Tf from "@tensorflow/tfjs";
import type * as TfWasm from "@tensorflow/tfjs-backend-wasm";
import { decodeImage, type DecodedImage } from "../src/inference/image-decoder.js";
import { InferencePool, localModelPaths } from "../src/inference/inference.pool.js";
import type { DescriptorMode, DetectorKind } from "../src/inference/inference.types.js";

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const WORKERS = Number(process.env.FACE_WORKERS ?? 2);
const TINY_INPUT_SIZE = Number(process.env.TINY_INPUT_SIZE ?? 416);
const { modelDir, wasmDir } = localModelPaths();
const demo = path.join(path.dirname(modelDir), "demo");
const logger = pino({ level: "warn" });
const decode = (jpeg: Buffer) => decodeImage(jpeg, { maxBytes: 1e8, maxInferenceSide: 1920 });

async function photos(width: number, height: number) {
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

/** Every sample face (found by the SSD detector) alone in a 640x480 frame, face ~200 px tall. */
async function singleFaceFrames(pool: InferencePool) {
  const out: Buffer[] = [];
  for (let i = 1; i <= 6; i++) {
    const file = path.join(demo, `sample${i}.jpg`);
    const meta = await sharp(file).metadata();
    for (const f of await pool.analyze(await decode(await sharp(file).jpeg().toBuffer()), "none", "ssd")) {
      const pad = Math.round(Math.max(f.box.width, f.box.height) * 0.5);
      const left = Math.max(0, Math.round(f.box.x) - pad);
      const top = Math.max(0, Math.round(f.box.y) - pad);
      const crop = await sharp(file)
        .extract({
          left,
          top,
          width: Math.min(meta.width! - left, Math.round(f.box.width) + 2 * pad),
          height: Math.min(meta.height! - top, Math.round(f.box.height) + 2 * pad),
        })
        .resize({ height: 400, width: 600, fit: "inside" })
        .toBuffer();
      const cm = await sharp(crop).metadata();
      out.push(
        await sharp({
          create: { width: 640, height: 480, channels: 3, background: { r: 110, g: 112, b: 115 } },
        })
          .composite([
            { input: crop, left: Math.round((640 - cm.width!) / 2), top: Math.round((480 - cm.height!) / 2) },
          ])
          .jpeg({ quality: 85 })
          .toBuffer(),
      );
    }
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// --- Baseline: the pre-issue-14 pipeline, in this process (face-api's high-level API, as the old worker did) ---
const require = createRequire(import.meta.url);
const tf = require("@tensorflow/tfjs") as typeof Tf;
const wasm = require("@tensorflow/tfjs-backend-wasm") as typeof TfWasm;
const faceapi = require("@vladmandic/face-api/dist/face-api.node-wasm.js") as typeof FaceApi;
tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
wasm.setWasmPaths(`${wasmDir}/`, false);
await tf.setBackend("wasm");
await tf.ready();
await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir);
await faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir);
await faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir);

async function baseline(image: DecodedImage) {
  const input = tf.tensor3d(image.pixels, [image.height, image.width, 3], "int32");
  const tensor = input as unknown as FaceApi.TNetInput;
  const found = await faceapi
    .detectAllFaces(tensor, new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5, maxResults: 20 }))
    .withFaceLandmarks();
  if (found.length) {
    const largest = found.reduce((a, b) => (b.detection.box.area > a.detection.box.area ? b : a));
    const region = largest.landmarks.align(null, { useDlibAlignment: true });
    const [crop] = await faceapi.extractFaceTensors(input as unknown as FaceApi.tf.Tensor3D, [region]);
    await faceapi.computeFaceDescriptor(crop as unknown as FaceApi.TNetInput);
    crop!.dispose();
  }
  input.dispose();
  return found.length;
}

type Run = (image: DecodedImage) => Promise<number>;

/**
 * Every variant on every image in turn (round-robin), so a change in the machine's load hits all of them alike;
 * p50 per variant and its ratio to the baseline's p50.
 */
async function measure(jpegs: Buffer[], runs: [string, Run][]) {
  const images = await Promise.all(jpegs.map(decode));
  for (const [, run] of runs) await run(images[0]!); // warm-up for this image size
  const times = runs.map(() => [] as number[]);
  const faces = runs.map(() => 0);
  for (let r = 0; r < ROUNDS; r++)
    for (const jpeg of jpegs)
      for (const [i, [, run]] of runs.entries()) {
        const t0 = performance.now();
        faces[i]! += await run(await decode(jpeg)); // decoding is part of the service's time
        times[i]!.push(performance.now() - t0);
      }
  return runs.map(([label], i) => ({ label, p50: median(times[i]!), faces: faces[i]! / ROUNDS }));
}

async function throughput(pool: InferencePool, jpegs: Buffer[], detector: DetectorKind) {
  const all = Array.from({ length: ROUNDS }, () => jpegs).flat();
  const t0 = performance.now();
  await Promise.all(all.map(async (jpeg) => pool.analyze(await decode(jpeg), "largest", detector)));
  return (all.length / (performance.now() - t0)) * 1000;
}

console.log(
  `${os.cpus()[0]?.model} x${os.cpus().length}, Node ${process.version}, rounds ${ROUNDS}, load average at start ${os.loadavg()[0]!.toFixed(1)} (shared machine)`,
);
const single = new InferencePool({
  size: 1,
  minConfidence: 0.5,
  maxFaces: 20,
  tinyInputSize: TINY_INPUT_SIZE,
  logger,
});
const t0 = performance.now();
await single.start();
console.log(`model load + warm-up (1 worker): ${(performance.now() - t0).toFixed(0)} ms`);
// The descriptor before the rotated crop and the mirror image were added: one pass on face-api's box crop.
const singleBox = new InferencePool({
  size: 1,
  minConfidence: 0.5,
  maxFaces: 20,
  tinyInputSize: TINY_INPUT_SIZE,
  descriptor: { alignment: "box", mirror: false },
  logger,
});
await singleBox.start();
const pooled =
  (mode: DescriptorMode, detector: DetectorKind): Run =>
  async (image) =>
    (await single.analyze(image, mode, detector)).length;

const SETS: [string, Buffer[]][] = [
  ["640x480, one person", await singleFaceFrames(single)],
  ["640x480, sample photos", await photos(640, 480)],
  ["1920x1080, sample photos", await photos(1920, 1080)],
];
const RUNS: [string, Run][] = [
  ["BASELINE before: ssd, landmarks of every face, descriptor of the largest (in-process)", baseline],
  ["ssd, landmarks + descriptor of the largest face", pooled("largest", "ssd")],
  [
    `tiny ${TINY_INPUT_SIZE}, landmarks + box-crop descriptor of the largest face (before the rotated crop + mirror)`,
    async (image) => (await singleBox.analyze(image, "largest", "tiny")).length,
  ],
  [
    `tiny ${TINY_INPUT_SIZE}, landmarks + rotated-crop descriptor with its mirror of the largest face (search/verify)`,
    pooled("largest", "tiny"),
  ],
  [`tiny ${TINY_INPUT_SIZE}, detect + landmarks of every face (POST /detect)`, pooled("none", "tiny")],
];
for (const [set, jpegs] of SETS) {
  const results = await measure(jpegs, RUNS);
  const base = results[0]!.p50;
  for (const r of results)
    console.log(
      `${set} | ${r.label}: p50 ${r.p50.toFixed(0)} ms (${(r.p50 / base).toFixed(2)}x baseline), ${r.faces} faces in ${jpegs.length} images`,
    );
  console.log(`  (load average ${os.loadavg()[0]!.toFixed(1)})`);
}

// Where the time goes (in this process, one face, 640x480 one-person frames): each stage alone, round-robin.
const frames = await Promise.all(SETS[0]![1].map(decode));
const tensors = frames.map((f) => tf.tensor3d(f.pixels, [f.height, f.width, 3], "int32"));
await faceapi.nets.tinyFaceDetector.loadFromDisk(modelDir);
const stage = {
  ssd: [] as number[],
  tiny: [] as number[],
  landmarks: [] as number[],
  descriptor: [] as number[],
};
for (let r = 0; r < ROUNDS; r++)
  for (const t of tensors) {
    const input = t as unknown as FaceApi.TNetInput;
    let t0 = performance.now();
    const found = await faceapi.detectAllFaces(
      input,
      new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 }),
    );
    stage.ssd.push(performance.now() - t0);
    t0 = performance.now();
    await faceapi.detectAllFaces(
      input,
      new faceapi.TinyFaceDetectorOptions({ inputSize: TINY_INPUT_SIZE, scoreThreshold: 0.5 }),
    );
    stage.tiny.push(performance.now() - t0);
    if (!found[0]) continue;
    const [face] = await faceapi.extractFaceTensors(t as unknown as FaceApi.tf.Tensor3D, [found[0]]);
    t0 = performance.now();
    await faceapi.detectFaceLandmarks(face as unknown as FaceApi.TNetInput);
    stage.landmarks.push(performance.now() - t0);
    t0 = performance.now();
    await faceapi.computeFaceDescriptor(face as unknown as FaceApi.TNetInput);
    stage.descriptor.push(performance.now() - t0);
    face!.dispose();
  }
console.log(
  `stages (640x480, one person, in-process p50): ${Object.entries(stage)
    .map(([k, v]) => `${k} ${median(v).toFixed(0)} ms`)
    .join(", ")} (load average ${os.loadavg()[0]!.toFixed(1)})`,
);
await single.close();
await singleBox.close();
const pool = new InferencePool({
  size: WORKERS,
  minConfidence: 0.5,
  maxFaces: 20,
  tinyInputSize: TINY_INPUT_SIZE,
  logger,
});
await pool.start();
for (const [set, jpegs] of SETS)
  for (const detector of ["ssd", "tiny"] as const)
    console.log(
      `${set}: throughput with ${WORKERS} workers, ${detector}, largest face: ${(await throughput(pool, jpegs, detector)).toFixed(2)} images/s`,
    );
await pool.close();
