import sharp from "sharp";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { faceCrop } from "../../test/images.js";
import { InferencePool, PoolBusyError, type RgbImage } from "./inference.pool.js";

describe("inference pool (real models in a worker thread)", () => {
  const pool = new InferencePool({
    size: 1,
    minConfidence: 0.5,
    maxFaces: 20,
    maxQueue: 1,
    logger: pino({ level: "silent" }),
  });
  let face: RgbImage;

  beforeAll(async () => {
    expect(pool.ready).toBe(false);
    await pool.start();
    const { data, info } = await sharp(await faceCrop("bella"))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    face = { pixels: new Uint8Array(data), width: info.width, height: info.height };
  });
  afterAll(() => pool.close());

  it("is ready only after start() has loaded and warmed up the models", () => {
    expect(pool.ready).toBe(true);
  });

  it("returns a unit-length 128-d descriptor only for the faces asked for", async () => {
    const [withDescriptor] = await pool.analyze(face, "largest");
    expect(withDescriptor!.descriptor).toHaveLength(128);
    expect(Math.hypot(...withDescriptor!.descriptor!)).toBeCloseTo(1, 5);
    expect(withDescriptor!.landmarks).toHaveLength(68);
    const [detectionOnly] = await pool.analyze(face, "none");
    expect(detectionOnly!.descriptor).toBeUndefined();
    expect(detectionOnly!.box).toEqual(withDescriptor!.box);
  });

  it("describes a tilted face like the upright one: the crop is turned with the eye line", async () => {
    const cosine = (a: number[], b: number[]) => 1 - a.reduce((sum, v, i) => sum + v * b[i]!, 0);
    const png = await sharp(face.pixels, { raw: { width: face.width, height: face.height, channels: 3 } })
      .png()
      .toBuffer();
    const { data, info } = await sharp(png)
      .rotate(-15, { background: "#606468" })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const tilted = { pixels: new Uint8Array(data), width: info.width, height: info.height };
    const [upright] = await pool.analyze(face, "largest", "ssd", true);
    const [turned] = await pool.analyze(tilted, "largest", "ssd", true);
    // The service's descriptor (rotated crop + mirror) barely moves; face-api's axis-aligned box crop does.
    expect(turned!.descriptor).toEqual(turned!.variants!["rotated+mirror"]);
    expect(cosine(upright!.descriptor!, turned!.descriptor!)).toBeLessThan(0.01);
    expect(cosine(upright!.variants!.box!, turned!.variants!.box!)).toBeGreaterThan(0.02);
  });

  it("replaces a worker that dies: its job fails, the next job runs on the replacement", async () => {
    // Reach into the pool to kill its only worker, as an out-of-memory crash would.
    const { slots } = pool as unknown as { slots: { worker: { terminate: () => Promise<number> } }[] };
    const inFlight = pool.analyze(face, "largest");
    await slots[0]!.worker.terminate();
    await expect(inFlight).rejects.toThrow(/exited/);
    const [after] = await pool.analyze(face, "largest");
    expect(after!.descriptor).toHaveLength(128);
    expect(pool.ready).toBe(true);
  });

  it("refuses work beyond its queue limit instead of piling images up in memory", async () => {
    const running = pool.analyze(face, "none"); // taken by the idle worker
    const queued = pool.analyze(face, "none"); // waits (queue: 1 of 1)
    await expect(pool.analyze(face, "none")).rejects.toBeInstanceOf(PoolBusyError);
    await expect(Promise.all([running, queued])).resolves.toHaveLength(2);
  });
});
