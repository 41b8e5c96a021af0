import sharp from "sharp";
import { HttpError, ValidationError, badRequest } from "@rail/common";
import type { RgbImage } from "./inference.pool.js";

/** Side limits of the reference system: both sides 100..10,000 px. */
export const MIN_IMAGE_SIDE = 100;
export const MAX_IMAGE_SIDE = 10_000;
const SUPPORTED_FORMATS = new Set(["jpeg", "png", "webp"]);

export interface DecodedImage extends RgbImage {
  /** Size of the (EXIF-oriented) original; boxes are reported in these pixels. */
  originalWidth: number;
  originalHeight: number;
  /** original pixels per analysed pixel (>= 1; images are only ever shrunk). */
  scale: number;
}

const undecodable = (msg: string, loc: string[]) => new ValidationError([{ type: "value_error", loc, msg }]);

/**
 * Strict base64 (standard or URL-safe alphabet, optional `data:image/...;base64,` prefix, whitespace ignored):
 * the reference decoded leniently and crashed with 500 on garbage.
 */
export function decodeBase64Image(text: string, loc: string[] = ["body", "image"]): Buffer {
  const payload = text.replace(/^data:image\/[a-z0-9.+-]+;base64,/i, "").replace(/\s+/g, "");
  if (payload.length === 0 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(payload) || payload.length % 4 === 1) {
    throw undecodable("Value is not valid base64", loc);
  }
  return Buffer.from(payload, "base64");
}

/**
 * Decodes JPEG/PNG/WebP with sharp (off the event loop, in libuv's pool) into packed RGB, applying EXIF
 * orientation, enforcing the side limits and shrinking large photos for inference.
 */
export async function decodeImage(
  bytes: Buffer,
  opts: {
    maxBytes: number;
    maxInferenceSide: number;
    loc?: string[];
    /** Stretch the luminance to the full range (dark or washed-out camera frames); see the README. */
    normaliseLight?: boolean;
  },
): Promise<DecodedImage> {
  const loc = opts.loc ?? ["body", "image"];
  if (bytes.length > opts.maxBytes) throw new HttpError(413, "Image file too large");
  let format: string | undefined;
  let width: number | undefined;
  let height: number | undefined;
  let orientation: number | undefined;
  try {
    ({ format, width, height, orientation } = await sharp(bytes).metadata());
  } catch {
    throw undecodable("Image could not be decoded (JPEG, PNG or WebP expected)", loc);
  }
  if (!format || !SUPPORTED_FORMATS.has(format) || !width || !height) {
    throw undecodable("Image could not be decoded (JPEG, PNG or WebP expected)", loc);
  }
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) throw badRequest("Image too big");
  if (width < MIN_IMAGE_SIDE || height < MIN_IMAGE_SIDE) throw badRequest("Image too small");
  // EXIF orientations 5-8 swap the sides.
  const [originalWidth, originalHeight] = orientation && orientation >= 5 ? [height, width] : [width, height];
  try {
    let pipeline = sharp(bytes, {
      limitInputPixels: MAX_IMAGE_SIDE * MAX_IMAGE_SIDE,
      failOn: "error",
    })
      .rotate()
      .resize({
        width: opts.maxInferenceSide,
        height: opts.maxInferenceSide,
        fit: "inside",
        withoutEnlargement: true,
      })
      .removeAlpha();
    if (opts.normaliseLight) pipeline = pipeline.normalise();
    const { data, info } = await pipeline.toColourspace("srgb").raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`unexpected channel count ${info.channels}`);
    return {
      pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      originalWidth,
      originalHeight,
      scale: originalWidth / info.width,
    };
  } catch {
    throw undecodable("Image could not be decoded (truncated or corrupt)", loc);
  }
}
