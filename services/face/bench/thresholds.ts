/**
 * Threshold measurement on the sample photos shipped with @vladmandic/face-api: every face is cropped, then
 * re-analysed as-is and as transformed copies (downscaled, recompressed, brightened, mirrored). "Same" pairs are
 * a crop vs its own transformed copies; "different" pairs are crops of different people.
 * Run: pnpm exec tsx bench/thresholds.ts
 */
import path from "node:path";
import sharp from "sharp";
import { pino } from "pino";
import { InferencePool, localModelPaths } from "../src/inference/inference.pool.js";

const pool = new InferencePool({
  size: 2,
  minConfidence: 0.5,
  maxFaces: 20,
  logger: pino({ level: "warn" }),
});
await pool.start();
const demo = path.join(path.dirname(localModelPaths().modelDir), "demo");

async function rgb(buffer: Buffer) {
  const { data, info } = await sharp(buffer).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { pixels: new Uint8Array(data), width: info.width, height: info.height };
}
const largest = <T extends { box: { width: number; height: number } }>(faces: T[]) =>
  faces.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height)[0];
const cosine = (a: number[], b: number[]) => 1 - a.reduce((s, v, i) => s + v * b[i]!, 0);

const people: { label: string; variants: number[][] }[] = [];
for (let i = 1; i <= 6; i++) {
  const file = path.join(demo, `sample${i}.jpg`);
  const faces = await pool.analyze(await rgb(await sharp(file).toBuffer()), "none");
  const meta = await sharp(file).metadata();
  for (const [n, f] of faces.entries()) {
    // Generous crop around the detected box, as an enrolment photo would be framed.
    const pad = Math.round(Math.max(f.box.width, f.box.height) * 0.6);
    const left = Math.max(0, Math.round(f.box.x) - pad);
    const top = Math.max(0, Math.round(f.box.y) - pad);
    const width = Math.min(meta.width! - left, Math.round(f.box.width) + 2 * pad);
    const height = Math.min(meta.height! - top, Math.round(f.box.height) + 2 * pad);
    const crop = await sharp(file).extract({ left, top, width, height }).png().toBuffer();
    const transforms: Buffer[] = [
      crop,
      await sharp(crop)
        .resize({ width: Math.round(width * 0.6) })
        .jpeg({ quality: 40 })
        .toBuffer(),
      await sharp(crop)
        .resize({ width: Math.round(width * 1.5) })
        .webp({ quality: 60 })
        .toBuffer(),
      await sharp(crop).modulate({ brightness: 1.25 }).jpeg({ quality: 70 }).toBuffer(),
      await sharp(crop).flop().jpeg({ quality: 85 }).toBuffer(),
    ];
    const variants: number[][] = [];
    for (const t of transforms) {
      const face = largest(await pool.analyze(await rgb(t), "largest"));
      if (face?.descriptor) variants.push(face.descriptor);
    }
    people.push({ label: `sample${i}#${n}`, variants });
  }
}
const same: number[] = [];
const different: number[] = [];
for (const p of people) for (const v of p.variants.slice(1)) same.push(cosine(p.variants[0]!, v));
for (let a = 0; a < people.length; a++)
  for (let b = a + 1; b < people.length; b++)
    for (const va of people[a]!.variants)
      for (const vb of people[b]!.variants) different.push(cosine(va, vb));
const stats = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(3);
  return `n=${s.length} min=${s[0]!.toFixed(3)} p05=${q(0.05)} median=${q(0.5)} p95=${q(0.95)} max=${s[s.length - 1]!.toFixed(3)}`;
};
console.log(`people: ${people.length}`);
console.log(`same person (crop vs transformed copy), cosine distance: ${stats(same)}`);
console.log(`different people, cosine distance: ${stats(different)}`);
for (const t of [0.02, 0.03, 0.035, 0.04, 0.045, 0.05, 0.06, 0.08, 0.1, 0.15, 0.2, 0.45]) {
  const fr = different.filter((d) => d <= t).length / different.length;
  const fn = same.filter((d) => d > t).length / same.length;
  console.log(
    `threshold ${t.toFixed(3)}: false match ${(fr * 100).toFixed(2)}%  false non-match ${(fn * 100).toFixed(2)}%`,
  );
}
await pool.close();
if (process.env.SHOW_CLOSEST) {
  const pairs: [number, string, string][] = [];
  for (let a = 0; a < people.length; a++)
    for (let b = a + 1; b < people.length; b++)
      pairs.push([
        cosine(people[a]!.variants[0]!, people[b]!.variants[0]!),
        people[a]!.label,
        people[b]!.label,
      ]);
  console.log(pairs.sort((x, y) => x[0] - y[0]).slice(0, 8));
}
