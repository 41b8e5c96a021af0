import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { PEOPLE, samplePhoto } from "../../test/images.js";
import { faceQuality, qualityProblem } from "./quality.js";

/** A sample photo (spoiled by `edit`) as decoded RGB, and the person's face box in it. */
async function face(person: keyof typeof PEOPLE, edit: (s: sharp.Sharp) => sharp.Sharp = (s) => s) {
  const { sample, box } = PEOPLE[person];
  const { data, info } = await edit(sharp(samplePhoto(sample)))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { image: { pixels: new Uint8Array(data), width: info.width, height: info.height }, box };
}

describe("enrolment photo quality", () => {
  it("passes well-lit, sharp faces from real photos", async () => {
    for (const person of ["alice", "dana", "erin", "fiona"] as const) {
      const { image, box } = await face(person);
      expect(qualityProblem(await faceQuality(image, box)), person).toBeUndefined();
    }
  });

  it("refuses a blurred face", async () => {
    const { image, box } = await face("erin", (s) => s.blur(8));
    expect(qualityProblem(await faceQuality(image, box))).toBe("Face too blurred");
  });

  it("refuses a dark face and an overexposed one", async () => {
    const dark = await face("erin", (s) => s.linear(0.12, 0));
    expect(qualityProblem(await faceQuality(dark.image, dark.box))).toBe("Face too dark");
    const bright = await face("erin", (s) => s.linear(2.5, 90));
    expect(qualityProblem(await faceQuality(bright.image, bright.box))).toBe("Face overexposed");
  });

  it("refuses a flat (washed-out) face", async () => {
    const { image, box } = await face("erin", (s) => s.linear(0.15, 110));
    expect(qualityProblem(await faceQuality(image, box))).toBe("Face too flat (badly lit)");
  });

  it("measures only inside the box and survives a box reaching past the edges", async () => {
    const { image } = await face("erin");
    const q = await faceQuality(image, { x: -50, y: -50, width: 10_000, height: 10_000 });
    expect(q.brightness).toBeGreaterThan(0);
    expect(Number.isFinite(q.sharpness)).toBe(true);
  });
});
