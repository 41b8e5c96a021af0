import { isUniqueViolation } from "@rail/common";
import type { Db } from "../db.js";

export interface ImageMeta {
  id: string;
  sha256: string;
  contentType: string;
  size: number;
  width: number;
  height: number;
  createdAt: Date;
}

export interface ImageContent {
  sha256: string;
  contentType: string;
  data: Uint8Array;
}

export interface NewImage {
  sha256: string;
  contentType: string;
  width: number;
  height: number;
  data: Buffer;
  createdBy: string | null;
}

const META = {
  id: true,
  sha256: true,
  contentType: true,
  size: true,
  width: true,
  height: true,
  createdAt: true,
} as const;

/** Uploaded pictures in Postgres; the only code of this feature that touches Prisma. */
export class ImagesRepository {
  constructor(private readonly db: Db) {}

  /**
   * Stores the bytes once: the unique sha256 decides between concurrent uploads of the same picture, and the
   * loser (or any later upload) gets the row that won.
   */
  async saveOnce(image: NewImage): Promise<ImageMeta> {
    // Two rounds: a row that won the race may be deleted before we read it; then our insert can win.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.image.create({
          data: { ...image, data: new Uint8Array(image.data), size: image.data.length },
          select: META,
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        const existing = await this.db.image.findUnique({ where: { sha256: image.sha256 }, select: META });
        if (existing) return existing;
        if (attempt >= 2) throw err;
      }
    }
  }

  content(id: string): Promise<ImageContent | null> {
    return this.db.image.findUnique({
      where: { id },
      select: { sha256: true, contentType: true, data: true },
    });
  }

  find(id: string): Promise<ImageMeta | null> {
    return this.db.image.findUnique({ where: { id }, select: META });
  }

  count(): Promise<number> {
    return this.db.image.count();
  }

  list(window: { skip: number; take: number }): Promise<ImageMeta[]> {
    return this.db.image.findMany({
      select: META,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      ...window,
    });
  }

  /**
   * Deletes the image unless a hotel or attraction shows it (their logo_url is the image's URL), in one
   * statement. Store items live in the store's database and are not checked.
   */
  async deleteUnlessUsed(id: string, url: string): Promise<"deleted" | "missing" | "in_use"> {
    const deleted = await this.db.$executeRaw`
      DELETE FROM images WHERE id = ${id}::uuid
        AND NOT EXISTS (SELECT 1 FROM hotels WHERE logo_url = ${url})
        AND NOT EXISTS (SELECT 1 FROM attractions WHERE logo_url = ${url})`;
    if (deleted > 0) return "deleted";
    return (await this.db.image.count({ where: { id } })) > 0 ? "in_use" : "missing";
  }
}
