/**
 * Enrolment photo quality of the detected face: a blurred, dark, washed-out or flat face gives a descriptor
 * that later matches poorly (false rejects on the train) or loosely (false accepts), so enrolment refuses it
 * with a clear reason. The limits are measured by bench/enrol-quality.ts on real enrolment photos and on
 * blurred/darkened copies of them (README).
 */
import sharp from "sharp";
import type { FaceBox } from "../inference/inference.types.js";
import type { RgbImage } from "../inference/inference.pool.js";

export interface FaceQuality {
  /** Mean luma of the face, 0..255. */
  brightness: number;
  /** Standard deviation of the luma of the face. */
  contrast: number;
  /** Variance of the Laplacian of the face scaled to 128x128 px (high = sharp edges). */
  sharpness: number;
}

export const QUALITY_LIMITS = {
  minBrightness: 40,
  maxBrightness: 220,
  minContrast: 18,
  minSharpness: 40,
};

const SIDE = 128;

/** Measures the face inside `box` (pixel coordinates of `image`). */
export async function faceQuality(image: RgbImage, box: FaceBox): Promise<FaceQuality> {
  const left = Math.max(0, Math.floor(box.x));
  const top = Math.max(0, Math.floor(box.y));
  const width = Math.max(1, Math.min(image.width - left, Math.round(box.width)));
  const height = Math.max(1, Math.min(image.height - top, Math.round(box.height)));
  const grey = await sharp(
    Buffer.from(image.pixels.buffer, image.pixels.byteOffset, image.pixels.byteLength),
    {
      raw: { width: image.width, height: image.height, channels: 3 },
    },
  )
    .extract({ left, top, width, height })
    .greyscale()
    .resize(SIDE, SIDE, { fit: "fill" })
    .raw()
    .toBuffer();
  let sum = 0;
  let sumSq = 0;
  for (const v of grey) {
    sum += v;
    sumSq += v * v;
  }
  const n = grey.length;
  const brightness = sum / n;
  const contrast = Math.sqrt(Math.max(0, sumSq / n - brightness * brightness));
  // 4-neighbour Laplacian over the interior.
  let lSum = 0;
  let lSq = 0;
  let m = 0;
  for (let y = 1; y < SIDE - 1; y++)
    for (let x = 1; x < SIDE - 1; x++) {
      const i = y * SIDE + x;
      const l = grey[i - 1]! + grey[i + 1]! + grey[i - SIDE]! + grey[i + SIDE]! - 4 * grey[i]!;
      lSum += l;
      lSq += l * l;
      m++;
    }
  const mean = lSum / m;
  return { brightness, contrast, sharpness: lSq / m - mean * mean };
}

/** The `detail` of the first problem, or undefined for a usable face. */
export function qualityProblem(q: FaceQuality, limits = QUALITY_LIMITS): string | undefined {
  if (q.brightness < limits.minBrightness) return "Face too dark";
  if (q.brightness > limits.maxBrightness) return "Face overexposed";
  if (q.contrast < limits.minContrast) return "Face too flat (badly lit)";
  if (q.sharpness < limits.minSharpness) return "Face too blurred";
  return undefined;
}
