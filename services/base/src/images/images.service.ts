import { createHash } from "node:crypto";
import { imageSize } from "image-size";
import { HttpError, conflict, notFound, paginate, type Page, type PageQuery } from "@rail/common";
import type { ImageContent, ImageMeta, ImagesRepository } from "./images.repository.js";
import { MAX_IMAGE_BYTES, MAX_IMAGE_SIDE, type ImageDto, type ImageType } from "./images.schemas.js";

export const IMAGE_NOT_FOUND = "Image not found";
export const UNSUPPORTED_IMAGE = "Unsupported image type: JPEG, PNG or WebP only";
export const IMAGE_TOO_LARGE = `Image too large (at most ${MAX_IMAGE_BYTES / 1024 / 1024} MiB)`;

/** The type from the file's first bytes; what the client claims (name, Content-Type) is never trusted. */
export function sniffImageType(bytes: Buffer): ImageType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return "image/png";
  if (bytes.toString("latin1", 0, 4) === "RIFF" && bytes.toString("latin1", 8, 12) === "WEBP")
    return "image/webp";
  return null;
}

/** image-size's names for the three types, to check its reading agrees with the magic bytes. */
const SIZE_TYPE: Record<ImageType, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
};

/** Uploaded pictures (logos of hotels, attractions, store items), stored once per content, served by id. */
export class ImagesService {
  constructor(
    private readonly images: ImagesRepository,
    /** The API prefix the public image route lives under (`/base_api/v1`). */
    private readonly publicPrefix: string,
  ) {}

  urlOf(id: string): string {
    return `${this.publicPrefix}/images/${id}`;
  }

  private toDto = (m: ImageMeta): ImageDto => ({
    id: m.id,
    url: this.urlOf(m.id),
    content_type: m.contentType as ImageType,
    size: m.size,
    width: m.width,
    height: m.height,
    sha256: m.sha256,
    created_at: m.createdAt.toISOString(),
  });

  /**
   * 415 unless the bytes are a JPEG, PNG or WebP; 422 when the header cannot be read or the sides are out of
   * range. The same bytes uploaded again (or concurrently) give the same image.
   */
  async upload(bytes: Buffer, engineerId: string | null): Promise<ImageDto> {
    if (bytes.length > MAX_IMAGE_BYTES) throw new HttpError(413, IMAGE_TOO_LARGE);
    const contentType = sniffImageType(bytes);
    if (!contentType) throw new HttpError(415, UNSUPPORTED_IMAGE);
    let size: { width?: number; height?: number; type?: string };
    try {
      size = imageSize(bytes);
    } catch {
      size = {};
    }
    const { width, height } = size;
    if (size.type !== SIZE_TYPE[contentType] || !width || !height)
      throw new HttpError(422, `Image could not be read (damaged ${SIZE_TYPE[contentType].toUpperCase()})`);
    if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE)
      throw new HttpError(422, `Image too big: at most ${MAX_IMAGE_SIDE} pixels a side`);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const saved = await this.images.saveOnce({
      sha256,
      contentType,
      width,
      height,
      data: bytes,
      createdBy: engineerId,
    });
    return this.toDto(saved);
  }

  async content(id: string): Promise<ImageContent> {
    const image = await this.images.content(id);
    if (!image) throw notFound(IMAGE_NOT_FOUND);
    return image;
  }

  async get(id: string): Promise<ImageDto> {
    const image = await this.images.find(id);
    if (!image) throw notFound(IMAGE_NOT_FOUND);
    return this.toDto(image);
  }

  list(page: PageQuery): Promise<Page<ImageDto>> {
    return paginate(
      page,
      () => this.images.count(),
      (w) => this.images.list(w),
      this.toDto,
    );
  }

  /** 404 when unknown, 409 while a hotel or attraction shows it. */
  async delete(id: string): Promise<void> {
    const outcome = await this.images.deleteUnlessUsed(id, this.urlOf(id));
    if (outcome === "missing") throw notFound(IMAGE_NOT_FOUND);
    if (outcome === "in_use") throw conflict("Image is in use by a hotel or attraction");
  }
}
