import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { HttpError, ValidationError } from "@rail/common";
import { decodeBase64Image, decodeImage } from "./image-decoder.js";

const limits = { maxBytes: 5_000_000, maxInferenceSide: 1920 };
const image = (
  width: number,
  height: number,
  format: "png" | "jpeg" | "webp" | "gif" = "png",
  channels: 3 | 4 = 3,
) =>
  sharp({ create: { width, height, channels, background: { r: 10, g: 20, b: 30, alpha: 0.5 } } })
    .toFormat(format)
    .toBuffer();

describe("image decoding", () => {
  it("decodes PNG, JPEG and WebP into packed RGB", async () => {
    for (const format of ["png", "jpeg", "webp"] as const) {
      const decoded = await decodeImage(await image(320, 240, format), limits);
      expect(decoded).toMatchObject({
        width: 320,
        height: 240,
        originalWidth: 320,
        originalHeight: 240,
        scale: 1,
      });
      expect(decoded.pixels.length).toBe(320 * 240 * 3);
    }
  });

  it("drops the alpha channel and converts greyscale to RGB", async () => {
    const rgba = await decodeImage(await image(200, 200, "png", 4), limits);
    expect(rgba.pixels.length).toBe(200 * 200 * 3);
    const grey = await sharp(await image(200, 150))
      .greyscale()
      .png()
      .toBuffer();
    expect((await decodeImage(grey, limits)).pixels.length).toBe(200 * 150 * 3);
  });

  it("shrinks large photos for inference and reports the scale back to original pixels", async () => {
    const decoded = await decodeImage(await image(4000, 1000, "jpeg"), limits);
    expect(decoded).toMatchObject({ width: 1920, height: 480, originalWidth: 4000, originalHeight: 1000 });
    expect(decoded.scale).toBeCloseTo(4000 / 1920);
  });

  it("applies EXIF orientation (a portrait photo stored sideways)", async () => {
    const sideways = await sharp(await image(300, 200))
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const decoded = await decodeImage(sideways, limits);
    expect([decoded.width, decoded.height]).toEqual([200, 300]);
    expect([decoded.originalWidth, decoded.originalHeight]).toEqual([200, 300]);
  });

  it("rejects sides outside 100..10000 px with the reference's details", async () => {
    await expect(decodeImage(await image(99, 300), limits)).rejects.toMatchObject({
      status: 400,
      detail: "Image too small",
    });
    await expect(decodeImage(await image(300, 99), limits)).rejects.toMatchObject({
      status: 400,
      detail: "Image too small",
    });
    await expect(decodeImage(await image(10_001, 100), limits)).rejects.toMatchObject({
      status: 400,
      detail: "Image too big",
    });
    await expect(decodeImage(await image(100, 100), limits)).resolves.toMatchObject({ width: 100 });
  });

  it("rejects unsupported formats, garbage and truncated files with 422 and files over the byte cap with 413", async () => {
    await expect(decodeImage(await image(200, 200, "gif"), limits)).rejects.toBeInstanceOf(ValidationError);
    await expect(decodeImage(Buffer.from("hello world, not an image"), limits)).rejects.toBeInstanceOf(
      ValidationError,
    );
    const jpeg = await image(400, 400, "jpeg");
    await expect(decodeImage(jpeg.subarray(0, Math.floor(jpeg.length / 2)), limits)).rejects.toBeInstanceOf(
      ValidationError,
    );
    const tooBig = decodeImage(jpeg, { ...limits, maxBytes: 100 });
    await expect(tooBig).rejects.toBeInstanceOf(HttpError);
    await expect(tooBig).rejects.toMatchObject({ status: 413 });
  });
});

describe("base64 decoding", () => {
  it("accepts standard and URL-safe base64, data: URLs and line breaks", () => {
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xfe, 0x10, 0x20]);
    expect(decodeBase64Image(bytes.toString("base64"))).toEqual(bytes);
    expect(decodeBase64Image(bytes.toString("base64url"))).toEqual(bytes);
    expect(decodeBase64Image(`data:image/jpeg;base64,${bytes.toString("base64")}`)).toEqual(bytes);
    expect(decodeBase64Image("/9j/\n/hAg")).toEqual(bytes);
  });

  it("rejects text that is not base64 with a 422 naming the field", () => {
    for (const bad of ["", "not base64!", "abc=def", "A"]) {
      try {
        decodeBase64Image(bad);
        expect.unreachable(`accepted ${JSON.stringify(bad)}`);
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationError);
        expect((err as ValidationError).detail).toEqual([
          { type: "value_error", loc: ["body", "image"], msg: "Value is not valid base64" },
        ]);
      }
    }
  });
});
