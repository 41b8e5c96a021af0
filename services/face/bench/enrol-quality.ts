/**
 * Calibrates the enrolment quality checks (src/faces/quality.ts) on real enrolment photos (the accuracy
 * benchmark's datasets, bench/datasets.ts) and on spoiled copies of them: blurred (Gaussian, sigma = 3 % of the
 * face width, roughly a shaken phone), dark (x0.25), overexposed (x2.2 + 60) and flat (x0.3 around grey).
 * Prints each metric's spread and how often QUALITY_LIMITS refuse each kind of photo.
 * Run: pnpm exec tsx bench/enrol-quality.ts
 */
import os from "node:os";
import { pino } from "pino";
import sharp from "sharp";
import { faceQuality, qualityProblem, QUALITY_LIMITS, type FaceQuality } from "../src/faces/quality.js";
import { decodeImage } from "../src/inference/image-decoder.js";
import { InferencePool } from "../src/inference/inference.pool.js";
import { enrolmentPhoto } from "./camera.js";
import { colourPhotos, fetchDatasets, orlPhotos, sampleStrangers } from "./datasets.js";

fetchDatasets();
console.log(
  `${os.cpus()[0]?.model} x${os.cpus().length}, Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)}`,
);
const pool = new InferencePool({
  size: 2,
  minConfidence: 0.5,
  maxFaces: 20,
  logger: pino({ level: "warn" }),
});
await pool.start();
const detectBoxes = async (png: Buffer) =>
  (await pool.analyze(await decodeImage(png, { maxBytes: 1e8, maxInferenceSide: 4000 }), "none", "ssd")).map(
    (f) => f.box,
  );
// Every 6th ORL photo keeps the run short; all colour photos and sample faces.
const photos = [
  ...(await orlPhotos()).filter((_, i) => i % 6 === 0),
  ...(await colourPhotos()),
  ...(await sampleStrangers(detectBoxes)),
];

const SPOIL: Record<string, (png: Buffer, faceWidth: number) => Promise<Buffer>> = {
  good: async (png) => png,
  blurred: (png, w) =>
    sharp(png)
      .blur(Math.max(0.5, 0.03 * w))
      .png()
      .toBuffer(),
  dark: (png) => sharp(png).linear(0.25, 0).png().toBuffer(),
  overexposed: (png) => sharp(png).linear(2.2, 60).png().toBuffer(),
  flat: (png) => sharp(png).linear(0.3, 90).png().toBuffer(),
};

console.log(`measuring ${photos.length} photos x ${Object.keys(SPOIL).length} variants ...`);
let done = 0;
const results: Record<string, { q: FaceQuality[]; refused: number; noFace: number; n: number }> = {};
for (const kind of Object.keys(SPOIL)) results[kind] = { q: [], refused: 0, noFace: 0, n: 0 };
await Promise.all(
  photos.map(async (photo) => {
    const base = await enrolmentPhoto(photo.png);
    const boxes = await detectBoxes(base);
    const box = boxes.sort((a, b) => b.width * b.height - a.width * a.height)[0];
    if (!box) return;
    for (const [kind, spoil] of Object.entries(SPOIL)) {
      const image = await decodeImage(await spoil(base, box.width), {
        maxBytes: 1e8,
        maxInferenceSide: 1920,
      });
      const faces = await pool.analyze(image, "none", "ssd");
      const r = results[kind]!;
      r.n++;
      const face = faces.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height)[0];
      if (!face) {
        r.noFace++;
        continue;
      }
      const q = await faceQuality(image, face.box);
      r.q.push(q);
      if (qualityProblem(q)) r.refused++;
    }
    if (++done % 20 === 0) console.log(`  ${done}/${photos.length} photos`);
  }),
);
await pool.close();

const pctl = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)] ?? NaN;
console.log(`limits: ${JSON.stringify(QUALITY_LIMITS)}\n`);
console.log(
  "| photos | n | no face found | refused by the checks | brightness p05/p50/p95 | contrast p05/p50 | sharpness p05/p50 |",
);
console.log("|---|---|---|---|---|---|---|");
for (const [kind, r] of Object.entries(results)) {
  const b = r.q.map((q) => q.brightness);
  const c = r.q.map((q) => q.contrast);
  const s = r.q.map((q) => q.sharpness);
  console.log(
    `| ${kind} | ${r.n} | ${r.noFace} | ${r.refused} (${((100 * r.refused) / Math.max(1, r.n - r.noFace)).toFixed(1)}% of detected) | ${pctl(b, 0.05).toFixed(0)}/${pctl(b, 0.5).toFixed(0)}/${pctl(b, 0.95).toFixed(0)} | ${pctl(c, 0.05).toFixed(0)}/${pctl(c, 0.5).toFixed(0)} | ${pctl(s, 0.05).toFixed(0)}/${pctl(s, 0.5).toFixed(0)} |`,
  );
}
