import { ApiRouter, EMPTY_RESPONSE, emptyResponseSchema, pageQuerySchema, pageSchema } from "@rail/common";
import type { Guards } from "../shared/guards.js";
import {
  IMAGE_FIELD,
  IMAGE_TYPES,
  MAX_IMAGE_BYTES,
  imageIdParamsSchema,
  imageSchema,
  imageUploadFormSchema,
} from "./images.schemas.js";
import type { ImagesService } from "./images.service.js";
import { singleImageUpload, uploadedFile } from "./images.upload.js";

/** A year: an image's bytes never change under its id (a new upload gets a new id). */
const IMMUTABLE = "public, max-age=31536000, immutable";

/** Engineers upload pictures; anyone (browsers, robots) fetches them by id. */
export function imageRoutes(images: ImagesService, { admin }: Guards): ApiRouter {
  const api = new ApiRouter();
  const tags = ["admin: images"];

  api.route({
    method: "post",
    path: "/admin/images",
    summary: "Upload a picture (hotel, attraction or store item logo)",
    description:
      "multipart/form-data with the file in the part `image`. The type is read from the file's first bytes " +
      "(JPEG, PNG or WebP), never from its name. Identical bytes are stored once: uploading them again answers " +
      "the same image. Put the answer's `url` into a `logo_url`.",
    tags,
    auth: admin,
    bodyContentType: "multipart/form-data",
    middleware: [singleImageUpload(IMAGE_FIELD, MAX_IMAGE_BYTES)],
    body: imageUploadFormSchema,
    response: imageSchema,
    errors: {
      413: "Image too large (at most 5 MiB)",
      415: "Unsupported image type: JPEG, PNG or WebP only (or not multipart/form-data)",
      422: "No `image` part, an empty file, an unreadable image or sides over 10000 pixels",
    },
    handler: ({ req, auth }) => images.upload(uploadedFile(req, IMAGE_FIELD), auth.subject),
  });

  api.route({
    method: "get",
    path: "/admin/images",
    summary: "Uploaded pictures, newest first",
    tags,
    auth: admin,
    query: pageQuerySchema,
    response: pageSchema(imageSchema),
    handler: ({ query }) => images.list(query),
  });

  api.route({
    method: "get",
    path: "/admin/images/:image_id",
    summary: "One uploaded picture's details",
    tags,
    auth: admin,
    params: imageIdParamsSchema,
    response: imageSchema,
    errors: { 404: "Image not found" },
    handler: ({ params }) => images.get(params.image_id),
  });

  api.route({
    method: "delete",
    path: "/admin/images/:image_id",
    summary: "Delete a picture no hotel or attraction shows",
    description: "Store items are in the store service's database and are not checked.",
    tags,
    auth: admin,
    params: imageIdParamsSchema,
    response: emptyResponseSchema,
    errors: { 404: "Image not found", 409: "Image is in use by a hotel or attraction" },
    handler: async ({ params }) => {
      await images.delete(params.image_id);
      return EMPTY_RESPONSE;
    },
  });

  api.route({
    method: "get",
    path: "/images/:image_id",
    summary: "A picture's bytes (public; cached for good: the bytes under an id never change)",
    description:
      "Answers image/jpeg, image/png or image/webp with a strong ETag (the SHA-256) and " +
      "`Cache-Control: public, max-age=31536000, immutable`; `If-None-Match` with that ETag answers 304.",
    tags: ["images"],
    params: imageIdParamsSchema,
    binaryResponse: [...IMAGE_TYPES],
    errors: { 404: "Image not found" },
    handler: async ({ params, req, res }) => {
      const image = await images.content(params.image_id);
      const etag = `"${image.sha256}"`;
      res.setHeader("ETag", etag);
      res.setHeader("Cache-Control", IMMUTABLE);
      // Served as an image only: never sniffed as HTML, never able to run script even if opened directly.
      res.setHeader("X-Content-Type-Options", "nosniff");
      res.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
      if (matches(req.headers["if-none-match"], etag)) {
        res.status(304).end();
        return;
      }
      res.type(image.contentType).send(Buffer.from(image.data));
    },
  });

  return api;
}

/** If-None-Match: `*` or a list of (possibly weak) ETags. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(",")
    .map((t) => t.trim().replace(/^W\//, ""))
    .some((t) => t === "*" || t === etag);
}
