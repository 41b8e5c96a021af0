import { ApiRouter, EMPTY_RESPONSE, emptyResponseSchema } from "@rail/common";
import { singleImageUpload, uploadedFile } from "../images/images.upload.js";
import { MAX_FACE_PHOTO_BYTES } from "../passenger/passenger.upload.js";
import type { Guards } from "../shared/guards.js";
import {
  PHOTO_FIELD,
  faceEnrolledSchema,
  faceExampleSchema,
  faceExamplesSchema,
  faceVerificationSchema,
  photoFormSchema,
  userFaceParamsSchema,
  userFacesParamsSchema,
} from "./user-faces.schemas.js";
import type { UserFacesService } from "./user-faces.service.js";

const FORM = "multipart/form-data";
const PHOTO_TOO_LARGE = "Photo too large (at most 7.5 MiB)";
const FACE_ERRORS = {
  503: "Face service unavailable",
};

/** Engineers manage a passenger's face examples (through the face service; audited as admin actions). */
export function userFaceRoutes(faces: UserFacesService, { admin }: Guards): ApiRouter {
  const api = new ApiRouter();
  const tags = ["admin: users"];
  const photo = () => singleImageUpload(PHOTO_FIELD, MAX_FACE_PHOTO_BYTES, PHOTO_TOO_LARGE);

  api.route({
    method: "get",
    path: "/admin/user/:user_id/faces",
    summary: "A passenger's face examples",
    description: "The face service keeps descriptors, not photos: each example has its date, score and box.",
    tags,
    auth: admin,
    params: userFacesParamsSchema,
    response: faceExamplesSchema,
    errors: { 404: "User not found", ...FACE_ERRORS },
    handler: ({ params }) => faces.list(params.user_id),
  });

  api.route({
    method: "get",
    path: "/admin/user/:user_id/faces/:face_id",
    summary: "One face example of a passenger",
    tags,
    auth: admin,
    params: userFaceParamsSchema,
    response: faceExampleSchema,
    errors: { 404: "User not found | Face not found", ...FACE_ERRORS },
    handler: ({ params }) => faces.get(params.user_id, params.face_id),
  });

  api.route({
    method: "post",
    path: "/admin/user/:user_id/face/upload",
    summary: "Enrol one more face example from a photo (multipart part `image`)",
    tags,
    auth: admin,
    params: userFacesParamsSchema,
    bodyContentType: FORM,
    middleware: [photo()],
    body: photoFormSchema,
    response: faceEnrolledSchema,
    errors: {
      400: "The face service's reason: `No faces`, `Too many faces`, `Face too small`, `Image too small`...",
      404: "User not found",
      409: "Face already exists (another passenger's) | Too many face examples for this user",
      413: PHOTO_TOO_LARGE,
      415: "Unsupported image type: JPEG, PNG or WebP only (or not multipart/form-data)",
      ...FACE_ERRORS,
    },
    handler: ({ params, req }) => faces.enrol(params.user_id, uploadedFile(req, PHOTO_FIELD)),
  });

  api.route({
    method: "delete",
    path: "/admin/user/:user_id/faces/:face_id",
    summary: "Delete one face example of a passenger",
    tags,
    auth: admin,
    params: userFaceParamsSchema,
    response: emptyResponseSchema,
    errors: { 404: "User not found | Face not found", ...FACE_ERRORS },
    handler: async ({ params }) => {
      await faces.remove(params.user_id, params.face_id);
      return EMPTY_RESPONSE;
    },
  });

  api.route({
    method: "post",
    path: "/admin/user/:user_id/face/verify/upload",
    summary: "Test a photo against a passenger's face examples (1:1; multipart part `image`)",
    tags,
    auth: admin,
    params: userFacesParamsSchema,
    bodyContentType: FORM,
    middleware: [photo()],
    body: photoFormSchema,
    response: faceVerificationSchema,
    errors: {
      400: "The face service's reason: `No faces`, `Image too small`...",
      404: "User not found | No face enrolled for this passenger",
      413: PHOTO_TOO_LARGE,
      415: "Unsupported image type: JPEG, PNG or WebP only (or not multipart/form-data)",
      ...FACE_ERRORS,
    },
    handler: ({ params, req }) => faces.verify(params.user_id, uploadedFile(req, PHOTO_FIELD)),
  });

  return api;
}
