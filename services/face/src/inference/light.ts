/** Pixel-level light correction for camera frames (pure functions, run inside the inference workers). */

/**
 * The frame with its luminance stretched to its 1st..99th percentile (as sharp's normalise()), for a last look
 * at a dark or washed-out camera frame in which neither detector found a face; undefined when there is
 * nothing to stretch.
 */
export function stretchLight(pixels: Uint8Array): Uint8Array | undefined {
  const hist = new Uint32Array(256);
  for (let i = 0; i + 2 < pixels.length; i += 3)
    hist[(pixels[i]! * 77 + pixels[i + 1]! * 150 + pixels[i + 2]! * 29) >> 8]!++;
  const tail = 0.01 * (pixels.length / 3);
  let lo = 0;
  for (let acc = hist[0]!; lo < 255 && acc < tail; acc += hist[++lo]!);
  let hi = 255;
  for (let acc = hist[255]!; hi > 0 && acc < tail; acc += hist[--hi]!);
  if (hi - lo < 16 || (lo <= 2 && hi >= 253)) return undefined;
  const lut = Uint8Array.from({ length: 256 }, (_, v) =>
    Math.max(0, Math.min(255, Math.round(((v - lo) * 255) / (hi - lo)))),
  );
  return pixels.map((v) => lut[v]!);
}
