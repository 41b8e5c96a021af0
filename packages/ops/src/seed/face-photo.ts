import path from "node:path";
import { pathToFileURL } from "node:url";
import { FACE_PASSENGER_PHOTO } from "./data.js";

interface FaceImages {
  faceCrop: (person: string) => Promise<Buffer>;
  degradedCopy: (image: Buffer, scale?: number, quality?: number) => Promise<Buffer>;
}

/**
 * The face service's test images (sample photos shipped with its face models, cropped with sharp, which lives
 * there): the seed enrols the same picture the face tests use, so ops needs no image library of its own.
 */
const images = async () =>
  (await import(
    pathToFileURL(path.resolve(import.meta.dirname, "../../../../services/face/test/images.ts")).href
  )) as FaceImages;

/** The face passenger's enrolment photo. */
export const facePhoto = async (): Promise<Buffer> => (await images()).faceCrop(FACE_PASSENGER_PHOTO);

/** Another shot of the same face, as a robot's camera takes it (smaller, recompressed). */
export const cameraFrame = async (): Promise<Buffer> =>
  (await images()).degradedCopy(await facePhoto(), 0.7, 50);
