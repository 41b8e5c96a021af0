/** What a photo looks like as an enrolment upload and as a frame from a robot's camera on the train. */
import sharp from "sharp";

const BACKGROUND = { r: 96, g: 100, b: 104 };

/**
 * Enrolment upload: large photos as they are; small tightly cropped scans (ORL's 92x112) are upscaled x3 and
 * given a plain border of half their size on every side, as a phone photo frames a face (neither detector finds
 * a face that fills the whole picture).
 */
export async function enrolmentPhoto(png: Buffer): Promise<Buffer> {
  const meta = await sharp(png).metadata();
  if (Math.min(meta.width!, meta.height!) >= 320) return png;
  const width = meta.width! * 3;
  const height = meta.height! * 3;
  const [x, y] = [Math.round(width / 2), Math.round(height / 2)];
  return sharp(png)
    .resize(width, height, { kernel: "lanczos3" })
    .extend({ top: y, bottom: y, left: x, right: x, background: BACKGROUND })
    .png()
    .toBuffer();
}

export const CAMERA = { width: 640, height: 480, tiltDegrees: 8, brightness: 0.6, jpegQuality: 40 };

/**
 * A train camera frame: the photo tilted by 8 degrees (alternating sides), half the frame's height (240 px:
 * an ORL face is then ~200 px tall, a passenger about a metre from the robot), centred on a plain 640x480
 * frame, 40 % darker (linear), JPEG quality 40.
 */
export async function cameraFrame(png: Buffer, tiltSign: 1 | -1): Promise<Buffer> {
  const background = BACKGROUND;
  const tilted = await sharp(png)
    .rotate(CAMERA.tiltDegrees * tiltSign, { background })
    .resize({ height: 240, width: 600, fit: "inside" })
    .png()
    .toBuffer();
  const meta = await sharp(tilted).metadata();
  const frame = await sharp({
    create: { width: CAMERA.width, height: CAMERA.height, channels: 3, background },
  })
    .composite([
      {
        input: tilted,
        left: Math.round((CAMERA.width - meta.width!) / 2),
        top: Math.round((CAMERA.height - meta.height!) / 2),
      },
    ])
    .png()
    .toBuffer();
  return sharp(frame).linear(CAMERA.brightness, 0).jpeg({ quality: CAMERA.jpegQuality }).toBuffer();
}
