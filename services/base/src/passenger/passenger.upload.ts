import type { NextFunction, Request, Response } from "express";
import multer from "multer";
import { HttpError } from "@rail/common";

/** The face service takes base64 strings of at most 10,485,760 characters: 7.5 MiB of raw bytes. */
export const MAX_FACE_PHOTO_BYTES = (10_485_760 / 4) * 3;
export const FACE_FILE_FIELD = "file";

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_FACE_PHOTO_BYTES, files: 1, fields: 5, parts: 6 },
}).single(FACE_FILE_FIELD);

/**
 * Reads the optional photo of `POST /frontend/faces` into memory. Only multipart requests are accepted: in the
 * reference a request without a file deletes the face, so a mis-encoded upload must not be mistaken for that.
 */
export function facePhotoUpload(req: Request, res: Response, next: NextFunction) {
  if (!req.is("multipart/form-data"))
    return next(new HttpError(415, "Expected multipart/form-data with a file field `file`"));
  upload(req, res, (err: unknown) => {
    if (!err) return next();
    if (err instanceof multer.MulterError) {
      if (err.code === "LIMIT_FILE_SIZE")
        return next(new HttpError(413, "Photo too large (at most 7.5 MiB)"));
      if (err.code === "LIMIT_UNEXPECTED_FILE")
        return next(new HttpError(400, "Unexpected file field: send the photo as `file`"));
      return next(new HttpError(400, `Invalid upload: ${err.message}`));
    }
    next(new HttpError(400, "Malformed multipart body"));
  });
}
