import { HttpError, notFound } from "@rail/common";
import type { FaceGateway } from "../face/face.gateway.js";
import { UNSUPPORTED_IMAGE, sniffImageType } from "../images/images.service.js";
import type { FaceExampleDto, FaceExamplesDto, FaceVerificationDto } from "./user-faces.schemas.js";

export const FACE_NOT_FOUND = "Face not found";
export const NO_FACE_ENROLLED = "No face enrolled for this passenger";

/** Who the passengers are (the users feature): 404 "User not found" for an unknown id. */
export interface Passengers {
  get(id: string): Promise<unknown>;
}

/**
 * An engineer's view of one passenger's face examples in the face service: list, enrol from a photo, delete one,
 * test a photo against them. Every call first checks the passenger exists in base (the face service would take
 * any id), and an example of another passenger is answered like a missing one.
 */
export class UserFacesService {
  constructor(
    private readonly passengers: Passengers,
    private readonly faces: Pick<FaceGateway, "examples" | "enrol" | "removeExample" | "verify">,
  ) {}

  async list(userId: string): Promise<FaceExamplesDto> {
    await this.passengers.get(userId);
    const { items } = await this.faces.examples(userId);
    return {
      user_id: userId,
      items: items.map(({ id, created_at, detector_score, box }) => ({
        id,
        created_at,
        detector_score,
        box,
      })),
    };
  }

  async get(userId: string, faceId: string): Promise<FaceExampleDto> {
    const example = (await this.list(userId)).items.find((e) => e.id === faceId);
    if (!example) throw notFound(FACE_NOT_FOUND);
    return example;
  }

  async enrol(userId: string, photo: Buffer): Promise<{ status: "OK"; face_id: string | null }> {
    const image = base64Photo(photo);
    await this.passengers.get(userId);
    return { status: "OK", face_id: await this.faces.enrol(userId, image) };
  }

  /** 404 "Face not found" also for another passenger's example: the path names whose it must be. */
  async remove(userId: string, faceId: string): Promise<void> {
    await this.get(userId, faceId);
    if (!(await this.faces.removeExample(faceId))) throw notFound(FACE_NOT_FOUND);
  }

  async verify(userId: string, photo: Buffer): Promise<FaceVerificationDto> {
    const image = base64Photo(photo);
    await this.passengers.get(userId);
    const result = await this.faces.verify(userId, image);
    if (!result) throw notFound(NO_FACE_ENROLLED);
    return { user_id: userId, ...result };
  }
}

/** The face service decodes JPEG, PNG and WebP; anything else is refused here with the same 415 as images. */
function base64Photo(photo: Buffer): string {
  if (!sniffImageType(photo)) throw new HttpError(415, UNSUPPORTED_IMAGE);
  return photo.toString("base64");
}
