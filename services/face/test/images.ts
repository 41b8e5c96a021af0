/**
 * Real test images: the sample photos shipped with @vladmandic/face-api (several people each), crops of single
 * faces from them, and resized / recompressed copies of those crops.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { localModelPaths } from "../src/inference/inference.pool.js";

const DEMO_DIR = path.join(path.dirname(localModelPaths().modelDir), "demo");

export const samplePhoto = (n: 1 | 2 | 3 | 4 | 5 | 6): Buffer =>
  readFileSync(path.join(DEMO_DIR, `sample${n}.jpg`));

interface FaceLocation {
  sample: 1 | 2 | 3 | 4 | 5 | 6;
  /** Detector box in the original photo (measured once with the service's own detector). */
  box: { x: number; y: number; width: number; height: number };
}

/** Distinct people (sample photos show different people); keys are arbitrary names for the tests. */
export const PEOPLE = {
  alice: { sample: 1, box: { x: 414, y: 355, width: 177, height: 240 } },
  bella: { sample: 1, box: { x: 838, y: 421, width: 186, height: 228 } },
  carol: { sample: 1, box: { x: 1476, y: 199, width: 203, height: 241 } },
  dana: { sample: 2, box: { x: 1447, y: 153, width: 194, height: 242 } },
  erin: { sample: 3, box: { x: 585, y: 329, width: 199, height: 271 } },
  fiona: { sample: 6, box: { x: 681, y: 321, width: 160, height: 307 } },
} satisfies Record<string, FaceLocation>;
export type Person = keyof typeof PEOPLE;

/** A single-face crop framed like an enrolment photo (the face plus a margin), as PNG. */
export async function faceCrop(person: Person, margin = 0.6): Promise<Buffer> {
  const { sample, box } = PEOPLE[person];
  const photo = samplePhoto(sample);
  const meta = await sharp(photo).metadata();
  const pad = Math.round(Math.max(box.width, box.height) * margin);
  const left = Math.max(0, box.x - pad);
  const top = Math.max(0, box.y - pad);
  const width = Math.min(meta.width! - left, box.width + 2 * pad);
  const height = Math.min(meta.height! - top, box.height + 2 * pad);
  return sharp(photo).extract({ left, top, width, height }).png().toBuffer();
}

/** The same crop downscaled and recompressed as a low-quality JPEG (a different "shot" of the same face). */
export async function degradedCopy(image: Buffer, scale = 0.6, quality = 45): Promise<Buffer> {
  const meta = await sharp(image).metadata();
  return sharp(image)
    .resize({ width: Math.round(meta.width! * scale) })
    .jpeg({ quality })
    .toBuffer();
}

/** Upscaled WebP copy. */
export async function webpCopy(image: Buffer, scale = 1.4): Promise<Buffer> {
  const meta = await sharp(image).metadata();
  return sharp(image)
    .resize({ width: Math.round(meta.width! * scale) })
    .webp({ quality: 70 })
    .toBuffer();
}

/** A face in a wider scene: the crop pasted small into a large canvas next to a bigger face of another person. */
export async function sceneWithTwoFaces(big: Person, small: Person): Promise<Buffer> {
  const bigFace = await sharp(await faceCrop(big))
    .resize({ height: 700 })
    .toBuffer();
  const smallFace = await sharp(await faceCrop(small))
    .resize({ height: 260 })
    .toBuffer();
  return sharp({ create: { width: 1600, height: 900, channels: 3, background: { r: 90, g: 110, b: 120 } } })
    .composite([
      { input: bigFace, left: 100, top: 100 },
      { input: smallFace, left: 1200, top: 80 },
    ])
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** A plain textured picture with no face in it. */
export function noFaceImage(): Promise<Buffer> {
  return sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 40, g: 160, b: 90 } } })
    .composite([
      {
        input: { create: { width: 200, height: 120, channels: 3, background: { r: 230, g: 220, b: 30 } } },
        left: 100,
        top: 100,
      },
    ])
    .jpeg()
    .toBuffer();
}

export const solidImage = (width: number, height: number, format: "png" | "jpeg" = "png") =>
  sharp({ create: { width, height, channels: 3, background: { r: 128, g: 128, b: 128 } } })
    .toFormat(format)
    .toBuffer();

export const b64 = (buffer: Buffer) => buffer.toString("base64");
