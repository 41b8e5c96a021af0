/**
 * One inference thread: TensorFlow.js on the WASM backend (files from the local package, never downloaded)
 * running face-api's SSD MobileNet v1 detector, 68-point landmarks and the 128-d recognition net.
 */
import { createRequire } from "node:module";
import { parentPort, workerData } from "node:worker_threads";
import type * as FaceApi from "@vladmandic/face-api";
import type * as Tf from "@tensorflow/tfjs";
import type * as TfWasm from "@tensorflow/tfjs-backend-wasm";
import type {
  AnalyzeRequest,
  DescriptorSettings,
  DetectedFace,
  WorkerMessage,
  WorkerSettings,
} from "./inference.types.js";
import { stretchLight } from "./light.js";

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

/** Normalised mean of two normalised descriptors (the mirror test-time augmentation). */
function mean(a: number[], b: number[]): number[] {
  return normalise(Float32Array.from(a, (v, i) => v + b[i]!));
}

const CHIP = 150;

/**
 * The face crop for the recognition net from the 68 landmarks. Both alignments use face-api's dlib-style box
 * (side = eye-to-mouth distance / 0.45, centred on the eyes and mouth at 0.5 / 0.43 of the side); `rotated`
 * also turns it with the eye line (one affine resample straight to 150x150, outside the image is black as in
 * dlib's chips), `box` cuts it axis-aligned as face-api's withFaceDescriptors() does.
 */
function crop(
  input: Tf.Tensor3D,
  landmarks: FaceApi.FaceLandmarks68,
  alignment: DescriptorSettings["alignment"],
) {
  if (alignment === "box") {
    const region = landmarks.align(null, { useDlibAlignment: true });
    return faceapi
      .extractFaceTensors(input as unknown as FaceApi.tf.Tensor3D, [region])
      .then(([t]) => t as unknown as Tf.Tensor3D);
  }
  const centre = (points: FaceApi.Point[]) => ({
    x: points.reduce((s, p) => s + p.x, 0) / points.length,
    y: points.reduce((s, p) => s + p.y, 0) / points.length,
  });
  const [l, r, m] = [landmarks.getLeftEye(), landmarks.getRightEye(), landmarks.getMouth()].map(centre) as [
    { x: number; y: number },
    { x: number; y: number },
    { x: number; y: number },
  ];
  const c = { x: (l.x + r.x + m.x) / 3, y: (l.y + r.y + m.y) / 3 };
  const size = (Math.hypot(m.x - l.x, m.y - l.y) + Math.hypot(m.x - r.x, m.y - r.y)) / 2 / 0.45;
  const angle = Math.atan2(r.y - l.y, r.x - l.x);
  const [cos, sin, s] = [Math.cos(angle), Math.sin(angle), size / CHIP];
  // Chip pixel (u, v) -> the box's point (x0 + s u, y0 + s v) in the upright frame -> turned about c by angle.
  const [dx, dy] = [-0.5 * size, -0.43 * size];
  const matrix = [
    cos * s,
    -sin * s,
    c.x + cos * dx - sin * dy,
    sin * s,
    cos * s,
    c.y + sin * dx + cos * dy,
    0,
    0,
  ];
  return Promise.resolve(
    tf.tidy(() => {
      const image = tf.cast(input, "float32").expandDims(0) as Tf.Tensor4D;
      const out = tf.image.transform(image, tf.tensor2d([matrix]), "bilinear", "constant", 0, [CHIP, CHIP]);
      return out.squeeze([0]) as Tf.Tensor3D;
    }),
  );
}

/** The descriptor of the face crop and, when asked, of its mirror image. */
async function describe(
  input: Tf.Tensor3D,
  landmarks: FaceApi.FaceLandmarks68,
  alignment: DescriptorSettings["alignment"],
  mirror = true,
): Promise<[number[], number[] | undefined]> {
  const face = await crop(input, landmarks, alignment);
  const flipped = mirror ? tf.reverse(face, 1) : undefined;
  try {
    const run = async (t: Tf.Tensor3D) =>
      normalise((await faceapi.computeFaceDescriptor(t as unknown as FaceApi.TNetInput)) as Float32Array);
    return [await run(face), flipped ? await run(flipped) : undefined];
  } finally {
    face.dispose();
    flipped?.dispose();
  }
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
  let input = tf.tensor3d(req.pixels, [req.height, req.width, 3], "int32") as Tf.Tensor3D;
  try {
    // Largest first; the tiny detector has no maxResults option, so the cap is applied here.
    let raw = await detect(input as unknown as FaceApi.TNetInput, req.detector);
    // Camera frames: the tiny detector misses some faces SSD finds, so a frame it finds nothing in gets a
    // second look by SSD and, if that finds nothing either, a last look by both with the light stretched
    // (a dark frame; measured in bench/accuracy.ts). Only these otherwise-lost frames pay for the extra looks.
    if (raw.length === 0 && req.detector === "tiny")
      raw = await detect(input as unknown as FaceApi.TNetInput, "ssd");
    if (raw.length === 0 && req.detector === "tiny") {
      const stretched = stretchLight(req.pixels);
      if (stretched) {
        input.dispose();
        input = tf.tensor3d(stretched, [req.height, req.width, 3], "int32") as Tf.Tensor3D;
        raw = await detect(input as unknown as FaceApi.TNetInput, "tiny");
        if (raw.length === 0) raw = await detect(input as unknown as FaceApi.TNetInput, "ssd");
      }
    }
    const tensor = input as unknown as FaceApi.TNetInput;
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
    for (const i of targets) {
      const landmarks = found[i]!.landmarks;
      if (req.variants) {
        const variants: Record<string, number[]> = {};
        for (const alignment of ["box", "rotated"] as const) {
          const [plain, mirrored] = await describe(input, landmarks, alignment);
          variants[alignment] = plain;
          variants[`${alignment}+mirror`] = mean(plain, mirrored!);
        }
        faces[i]!.variants = variants;
        const { alignment, mirror } = settings.descriptor;
        faces[i]!.descriptor = variants[mirror ? `${alignment}+mirror` : alignment];
      } else {
        const [plain, mirrored] = await describe(
          input,
          landmarks,
          settings.descriptor.alignment,
          settings.descriptor.mirror,
        );
        faces[i]!.descriptor = mirrored ? mean(plain, mirrored) : plain;
      }
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
