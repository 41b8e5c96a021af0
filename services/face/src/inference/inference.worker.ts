/**
 * One inference thread: TensorFlow.js on the WASM backend (files from the local package, never downloaded)
 * running face-api's SSD MobileNet v1 detector, 68-point landmarks and the 128-d recognition net.
 */
import { createRequire } from "node:module";
import { parentPort, workerData } from "node:worker_threads";
import type * as FaceApi from "@vladmandic/face-api";
import type * as Tf from "@tensorflow/tfjs";
import type * as TfWasm from "@tensorflow/tfjs-backend-wasm";
import type { AnalyzeRequest, DetectedFace, WorkerMessage, WorkerSettings } from "./inference.types.js";

const require = createRequire(import.meta.url);
const tf = require("@tensorflow/tfjs") as typeof Tf;
const wasm = require("@tensorflow/tfjs-backend-wasm") as typeof TfWasm;
// The node-wasm build shares the @tensorflow/tfjs instance above instead of bundling its own.
const faceapi = require("@vladmandic/face-api/dist/face-api.node-wasm.js") as typeof FaceApi;

const settings = workerData as WorkerSettings;
const port = parentPort!;
const post = (message: WorkerMessage) => port.postMessage(message);

async function init() {
  // One thread per worker: parallelism comes from the pool, not from WASM threads competing for the same cores.
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  wasm.setWasmPaths(settings.wasmDir.endsWith("/") ? settings.wasmDir : `${settings.wasmDir}/`, false);
  await tf.setBackend("wasm");
  await tf.ready();
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(settings.modelDir);
  await faceapi.nets.tinyFaceDetector.loadFromDisk(settings.modelDir);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(settings.modelDir);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(settings.modelDir);
  // Warm-up: the first run compiles kernels and allocates; do it before reporting ready.
  const blank = new Uint8Array(160 * 160 * 3).fill(128);
  for (const detector of ["ssd", "tiny"] as const)
    await analyze({ id: 0, pixels: blank, width: 160, height: 160, descriptors: "all", detector });
  // A blank image has no face, so the landmark and recognition nets are warmed up separately.
  const crop = tf.zeros([150, 150, 3]);
  await faceapi.detectFaceLandmarks(crop as unknown as FaceApi.TNetInput);
  await faceapi.computeFaceDescriptor(crop as unknown as FaceApi.TNetInput);
  crop.dispose();
}

function normalise(values: Float32Array): number[] {
  let sum = 0;
  for (const v of values) sum += v * v;
  const norm = Math.sqrt(sum) || 1;
  return Array.from(values, (v) => v / norm);
}

const area = (box: { width: number; height: number }) => box.width * box.height;

function detect(input: FaceApi.TNetInput, detector: AnalyzeRequest["detector"]) {
  const options =
    detector === "tiny"
      ? new faceapi.TinyFaceDetectorOptions({
          inputSize: settings.tinyInputSize,
          scoreThreshold: settings.minConfidence,
        })
      : new faceapi.SsdMobilenetv1Options({
          minConfidence: settings.minConfidence,
          maxResults: settings.maxFaces,
        });
  return faceapi.detectAllFaces(input, options);
}

async function analyze(req: AnalyzeRequest): Promise<DetectedFace[]> {
  const input = tf.tensor3d(req.pixels, [req.height, req.width, 3], "int32");
  try {
    const tensor = input as unknown as FaceApi.TNetInput;
    // Largest first; the tiny detector has no maxResults option, so the cap is applied here.
    let raw = await detect(tensor, req.detector);
    // The tiny detector misses some faces SSD finds; a frame it finds nothing in gets a second look by SSD.
    if (raw.length === 0 && req.detector === "tiny") raw = await detect(tensor, "ssd");
    const detections = raw.sort((a, b) => area(b.box) - area(a.box)).slice(0, settings.maxFaces);
    // Landmarks cost ~60 ms per face: when only the largest face gets a descriptor, only it gets landmarks
    // (the other faces are still counted and boxed). face-api's own landmark task, fed the chosen detections.
    const withLandmarks = req.descriptors === "largest" ? detections.slice(0, 1) : detections;
    const found = await new faceapi.DetectAllFaceLandmarksTask(
      Promise.resolve(withLandmarks.map((d) => faceapi.extendWithFaceDetection({}, d))),
      tensor,
      false,
    );
    const faces: DetectedFace[] = detections.map((d, i) => ({
      box: { x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height },
      score: d.score,
      landmarks: found[i]?.landmarks.positions.map((p) => ({ x: p.x, y: p.y })) ?? [],
    }));
    if (req.descriptors === "none" || found.length === 0) return faces;
    // The recognition net runs once per face; most callers need only the largest face's descriptor.
    const targets = req.descriptors === "largest" ? [0] : found.map((_, i) => i);
    // dlib-style alignment from the landmarks, as face-api's own withFaceDescriptors() does: the recognition
    // net expects it (the plain aligned box gives measurably worse separation between people).
    const regions = targets.map((i) => found[i]!.landmarks.align(null, { useDlibAlignment: true }));
    const crops = await faceapi.extractFaceTensors(input as unknown as FaceApi.tf.Tensor3D, regions);
    try {
      for (const [n, i] of targets.entries()) {
        const descriptor = (await faceapi.computeFaceDescriptor(
          crops[n] as unknown as FaceApi.TNetInput,
        )) as Float32Array;
        faces[i]!.descriptor = normalise(descriptor);
      }
    } finally {
      for (const crop of crops) crop.dispose();
    }
    return faces;
  } finally {
    input.dispose();
  }
}

port.on("message", (req: AnalyzeRequest) => {
  analyze(req).then(
    (faces) => post({ id: req.id, type: "result", faces }),
    (err: unknown) =>
      post({ id: req.id, type: "error", error: err instanceof Error ? err.message : String(err) }),
  );
});

init().then(
  () => post({ type: "ready" }),
  (err: unknown) =>
    post({ type: "failed", error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
);
