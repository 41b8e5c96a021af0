import type { NextFunction, Request, Response } from "express";
import multer from "multer";
import { HttpError, ValidationError } from "@rail/common";

/**
 * Multipart parsing for the upload variants: one file part named `image`, kept in memory (capped), plus text
 * fields. Multer's errors become the service's 4xx shapes instead of 500s.
 */
export function imageUpload(maxBytes: number) {
  const parse = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 5, fieldSize: 1024 },
  }).single("image");
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.is("multipart/form-data")) {
      next(new HttpError(415, "Expected multipart/form-data with an image file part"));
      return;
    }
    parse(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        if (err.code === "LIMIT_FILE_SIZE") return next(new HttpError(413, "Image file too large"));
        return next(
          new ValidationError([
            { type: "value_error", loc: ["form", err.field ?? "image"], msg: err.message },
          ]),
        );
      }
      next(new ValidationError([{ type: "value_error", loc: ["form"], msg: "Malformed multipart body" }]));
    });
  };
}

/** The uploaded image bytes, or the 422 a missing file part deserves. */
export function uploadedImage(req: Request): Buffer {
  if (!req.file)
    throw new ValidationError([{ type: "missing", loc: ["form", "image"], msg: "Field required" }]);
  return req.file.buffer;
}
