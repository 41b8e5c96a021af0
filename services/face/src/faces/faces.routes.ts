import { ApiRouter, EMPTY_RESPONSE, serviceOrAdminGuard, type SessionStore } from "@rail/common";
import { decodeBase64Image } from "../inference/image-decoder.js";
import {
  candidatesBodySchema,
  candidatesResponseSchema,
  checkResponseSchema,
  detectResponseSchema,
  enrolBodySchema,
  enrolFormSchema,
  enrolResponseSchema,
  faceExamplesResponseSchema,
  faceIdParamsSchema,
  faceUsersResponseSchema,
  imageBodySchema,
  searchEmbeddingBodySchema,
  searchResponseSchema,
  statusOkSchema,
  userIdParamsSchema,
  verifyBodySchema,
  verifyEmbeddingBodySchema,
  verifyFormSchema,
  verifyResponseSchema,
} from "./faces.schemas.js";
import type { FaceService } from "./faces.service.js";
import { imageUpload, uploadedImage } from "./upload.js";

const TAGS = ["faces"];
const IMAGE_ERRORS = {
  400: "`No faces`, `Image too small`, `Image too big`",
  413: "Image file too large",
  422: "Invalid request or undecodable image",
  503: "Models loading, face index or inference unavailable",
};
const FORM = "multipart/form-data";
const FORM_IMAGE = ["form", "image"];

/**
 * The face API. Reachable only by other services (internal token) or ADMIN engineers: robots and passengers
 * reach faces through the base service.
 */
export function faceRoutes(
  faces: FaceService,
  opts: { serviceToken: string; sessions: SessionStore; maxImageBytes: number },
) {
  const auth = serviceOrAdminGuard(opts.serviceToken, opts.sessions);
  const upload = imageUpload(opts.maxImageBytes);
  const api = new ApiRouter();

  // --- Reference-compatible routes -------------------------------------------------------------------
  api.route({
    method: "post",
    path: "/face",
    summary: "Enrol one face example for a user",
    description:
      "Exactly one face of a minimum size. A user may have several examples (several photos improve recall). " +
      "409 `User already exists` when the face matches a different user.",
    tags: TAGS,
    auth,
    body: enrolBodySchema,
    response: enrolResponseSchema,
    errors: {
      ...IMAGE_ERRORS,
      400: "`No faces`, `Too many faces`, `Face too small`, `Image too small`, `Image too big`",
      409: "`User already exists`, `Too many face examples for this user`",
    },
    handler: async ({ body }) => {
      const { faceId } = await faces.enrol(body.user_id, decodeBase64Image(body.image));
      return { ...EMPTY_RESPONSE, face_id: faceId };
    },
  });

  api.route({
    method: "post",
    path: "/search",
    summary: "Identify the largest face in the image (1:N)",
    tags: TAGS,
    auth,
    body: imageBodySchema,
    response: searchResponseSchema,
    errors: {
      ...IMAGE_ERRORS,
      400: "`No faces`, `Not found` (nearest beyond the threshold), `Image too small`, `Image too big`",
      404: "`User not found` (nobody enrolled)",
    },
    handler: async ({ body }) => faces.searchImage(decodeBase64Image(body.image)),
  });

  api.route({
    method: "delete",
    path: "/face/:user_id",
    summary: "Delete every face example of a user (idempotent)",
    tags: TAGS,
    auth,
    params: userIdParamsSchema,
    response: statusOkSchema,
    handler: async ({ params }) => {
      await faces.deleteUser(params.user_id);
      return EMPTY_RESPONSE;
    },
  });

  api.route({
    method: "get",
    path: "/faces",
    summary: "Users with at least one face example",
    tags: TAGS,
    auth,
    response: faceUsersResponseSchema,
    handler: async () => faces.users(),
  });

  api.route({
    method: "get",
    path: "/check/:user_id",
    summary: "Whether a user has a face enrolled",
    tags: TAGS,
    auth,
    params: userIdParamsSchema,
    response: checkResponseSchema,
    handler: async ({ params }) => ({ status: await faces.hasFaces(params.user_id) }),
  });

  // --- New routes --------------------------------------------------------------------------------------
  api.route({
    method: "post",
    path: "/detect",
    summary: "Detect faces: boxes, scores and 68 landmarks (largest first)",
    tags: TAGS,
    auth,
    body: imageBodySchema,
    response: detectResponseSchema,
    errors: IMAGE_ERRORS,
    handler: async ({ body }) => faces.detect(decodeBase64Image(body.image)),
  });

  api.route({
    method: "post",
    path: "/verify",
    summary: "Is the largest face in the image this user? (1:1)",
    tags: TAGS,
    auth,
    body: verifyBodySchema,
    response: verifyResponseSchema,
    errors: { ...IMAGE_ERRORS, 404: "`User not found` (no examples for this user)" },
    handler: async ({ body }) => faces.verifyImage(body.user_id, decodeBase64Image(body.image)),
  });

  api.route({
    method: "post",
    path: "/search/embedding",
    summary: "Identify a 128-d descriptor computed on board (1:N)",
    tags: TAGS,
    auth,
    body: searchEmbeddingBodySchema,
    response: searchResponseSchema,
    errors: { 400: "`Not found`", 404: "`User not found` (nobody enrolled)", 422: "Invalid embedding" },
    handler: async ({ body }) => faces.searchEmbedding(body.embedding),
  });

  api.route({
    method: "post",
    path: "/verify/embedding",
    summary: "Is this 128-d descriptor this user? (1:1)",
    tags: TAGS,
    auth,
    body: verifyEmbeddingBodySchema,
    response: verifyResponseSchema,
    errors: { 404: "`User not found`", 422: "Invalid embedding" },
    handler: async ({ body }) => faces.verifyEmbedding(body.user_id, body.embedding),
  });

  api.route({
    method: "post",
    path: "/search/candidates",
    summary: "Which of these users is the largest face? (1:few, e.g. a train's manifest)",
    description:
      "Compares the face (an image, or a 128-d descriptor computed on board) only with the listed users' " +
      "examples, exactly (no index approximation). `match` is true only when the nearest user is within the " +
      "threshold AND the next-best other user is at least `margin` farther away; otherwise `reason` says why " +
      "(`no_enrolled_candidates`, `beyond_threshold`, `ambiguous`) and `user_id` is null.",
    tags: TAGS,
    auth,
    body: candidatesBodySchema,
    response: candidatesResponseSchema,
    errors: { ...IMAGE_ERRORS, 422: "Invalid request: exactly one of image or embedding, 1..5000 user_ids" },
    handler: async ({ body }) =>
      faces.searchCandidates(body.user_ids, {
        image: body.image === undefined ? undefined : decodeBase64Image(body.image),
        embedding: body.embedding,
      }),
  });

  api.route({
    method: "get",
    path: "/faces/:user_id",
    summary: "A user's face examples",
    tags: TAGS,
    auth,
    params: userIdParamsSchema,
    response: faceExamplesResponseSchema,
    handler: async ({ params }) => faces.examples(params.user_id),
  });

  api.route({
    method: "delete",
    path: "/faces/:face_id",
    summary: "Delete one face example",
    tags: TAGS,
    auth,
    params: faceIdParamsSchema,
    response: statusOkSchema,
    errors: { 404: "`Face not found`" },
    handler: async ({ params }) => {
      await faces.deleteExample(params.face_id);
      return EMPTY_RESPONSE;
    },
  });

  // --- Multipart upload variants (file part `image`) ------------------------------------------------------
  api.route({
    method: "post",
    path: "/face/upload",
    summary: "Enrol one face example (multipart upload)",
    tags: TAGS,
    auth,
    bodyContentType: FORM,
    middleware: [upload],
    body: enrolFormSchema,
    response: enrolResponseSchema,
    errors: { ...IMAGE_ERRORS, 409: "`User already exists`" },
    handler: async ({ body, req }) => {
      const { faceId } = await faces.enrol(body.user_id, uploadedImage(req), FORM_IMAGE);
      return { ...EMPTY_RESPONSE, face_id: faceId };
    },
  });

  api.route({
    method: "post",
    path: "/search/upload",
    summary: "Identify the largest face (multipart upload)",
    tags: TAGS,
    auth,
    bodyContentType: FORM,
    middleware: [upload],
    response: searchResponseSchema,
    errors: { ...IMAGE_ERRORS, 404: "`User not found`" },
    handler: async ({ req }) => faces.searchImage(uploadedImage(req), FORM_IMAGE),
  });

  api.route({
    method: "post",
    path: "/verify/upload",
    summary: "Verify a user (multipart upload)",
    tags: TAGS,
    auth,
    bodyContentType: FORM,
    middleware: [upload],
    body: verifyFormSchema,
    response: verifyResponseSchema,
    errors: { ...IMAGE_ERRORS, 404: "`User not found`" },
    handler: async ({ body, req }) => faces.verifyImage(body.user_id, uploadedImage(req), FORM_IMAGE),
  });

  api.route({
    method: "post",
    path: "/detect/upload",
    summary: "Detect faces (multipart upload)",
    tags: TAGS,
    auth,
    bodyContentType: FORM,
    middleware: [upload],
    response: detectResponseSchema,
    errors: IMAGE_ERRORS,
    handler: async ({ req }) => faces.detect(uploadedImage(req), FORM_IMAGE),
  });

  return api;
}
