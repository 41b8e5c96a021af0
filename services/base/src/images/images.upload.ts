import type { NextFunction, Request, Response } from "express";
import multer from "multer";
import { HttpError, ValidationError } from "@rail/common";
import { IMAGE_TOO_LARGE } from "./images.service.js";

/**
 * One multipart file part named `field`, kept in memory and capped at `maxBytes` (413 as soon as the cap is
 * passed, without reading the rest). Multer's errors become the API's 4xx shapes instead of 500s. Used by image
 * uploads and the admin face photo routes.
 */
export function singleImageUpload(field: string, maxBytes: number, tooLarge = IMAGE_TOO_LARGE) {
  const parse = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 5, fieldSize: 1024, parts: 6 },
  }).single(field);
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.is("multipart/form-data")) {
      next(new HttpError(415, `Expected multipart/form-data with an image file part \`${field}\``));
      return;
    }
    parse(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        if (err.code === "LIMIT_FILE_SIZE") return next(new HttpError(413, tooLarge));
        return next(
          new ValidationError([{ type: "value_error", loc: ["form", err.field ?? field], msg: err.message }]),
        );
      }
      next(new ValidationError([{ type: "value_error", loc: ["form"], msg: "Malformed multipart body" }]));
    });
  };
}

/** The uploaded bytes, or the 422 a missing or empty file part deserves. */
export function uploadedFile(req: Request, field: string): Buffer {
  if (!req.file)
    throw new ValidationError([{ type: "missing", loc: ["form", field], msg: "Field required" }]);
  if (req.file.size === 0)
    throw new ValidationError([{ type: "value_error", loc: ["form", field], msg: "File is empty" }]);
  return req.file.buffer;
}
