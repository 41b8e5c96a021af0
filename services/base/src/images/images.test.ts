import { createHash, randomUUID } from "node:crypto";
import sharp from "sharp";
import request from "supertest";
import { describe, expect } from "vitest";
import { test, type TestContext } from "../../test/fixtures.js";
import { seedStation } from "../../test/railway.js";
import { API, adminToken, bearer } from "../../test/helpers.js";
import { MAX_IMAGE_BYTES } from "./images.schemas.js";

/** A real picture of the given format (each call a different colour unless `seed` repeats). */
async function picture(
  format: "jpeg" | "png" | "webp" | "gif",
  width = 40,
  height = 30,
  seed = Math.random(),
) {
  const shade = Math.floor(seed * 255);
  return sharp({ create: { width, height, channels: 3, background: { r: shade, g: 255 - shade, b: 90 } } })
    .toFormat(format)
    .toBuffer();
}

interface ImagesFixture {
  ctx: TestContext;
  admin: string;
  upload: (bytes: Buffer, filename?: string, token?: string) => request.Test;
}

const it = test.extend<{ token: string; i: ImagesFixture }>({
  token: [
    async ({ ctx }, use) => {
      await seedStation(ctx.db, "KAZAN");
      await use(await adminToken(ctx));
    },
    { scope: "file" },
  ],
  i: async ({ ctx, token }, use) =>
    use({
      ctx,
      admin: token,
      upload: (bytes, filename = "logo.bin", as = token) =>
        request(ctx.app)
          .post(`${API}/admin/images`)
          .set(bearer(as))
          .attach("image", bytes, { filename, contentType: "application/octet-stream" }),
    }),
});

describe("images: engineers upload pictures, anyone fetches them by id", () => {
  it("stores JPEG, PNG and WebP by their magic bytes and serves the same bytes with caching headers", async ({
    i: { ctx, upload },
  }) => {
    for (const [format, type] of [
      ["jpeg", "image/jpeg"],
      ["png", "image/png"],
      ["webp", "image/webp"],
    ] as const) {
      const bytes = await picture(format, 64, 48);
      // The file name and the part's Content-Type lie; only the bytes count.
      const res = await upload(bytes, "picture.gif");
      expect(res.status).toBe(200);
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        url: `${API}/images/${res.body.id}`,
        content_type: type,
        size: bytes.length,
        width: 64,
        height: 48,
        sha256,
        created_at: expect.any(String),
      });

      // Public: no token.
      const served = await request(ctx.app)
        .get(res.body.url)
        .buffer(true)
        .parse((r, done) => {
          const chunks: Buffer[] = [];
          r.on("data", (c: Buffer) => chunks.push(c));
          r.on("end", () => done(null, Buffer.concat(chunks)));
        });
      expect(served.status).toBe(200);
      expect(served.headers["content-type"]).toBe(type);
      expect(served.headers.etag).toBe(`"${sha256}"`);
      expect(served.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(served.headers["x-content-type-options"]).toBe("nosniff");
      expect(Buffer.compare(served.body as Buffer, bytes)).toBe(0);

      const again = await request(ctx.app).get(res.body.url).set("If-None-Match", `W/"x", "${sha256}"`);
      expect(again.status).toBe(304);
      const stale = await request(ctx.app).get(res.body.url).set("If-None-Match", '"other"');
      expect(stale.status).toBe(200);
    }
  });

  it("stores identical bytes once, also when uploaded concurrently", async ({ i: { ctx, upload } }) => {
    const bytes = await picture("png", 20, 20, 0.123);
    const answers = await Promise.all(Array.from({ length: 8 }, () => upload(bytes)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    expect(await ctx.db.image.count({ where: { sha256 } })).toBe(1);
    const later = await upload(bytes, "copy.png");
    expect(later.body.id).toBe(answers[0]!.body.id);
  });

  it("refuses other types (415), damaged or oversized pictures (422, 413) and bad requests, storing nothing", async ({
    i: { ctx, admin, upload },
  }) => {
    const before = await ctx.db.image.count();
    const gif = await upload(await picture("gif"), "a.png");
    expect(gif.status).toBe(415);
    expect(gif.body).toEqual({ detail: "Unsupported image type: JPEG, PNG or WebP only" });
    const html = await upload(Buffer.from("<html><script>alert(1)</script></html>"), "x.jpg");
    expect(html.status).toBe(415);

    // Right magic bytes, nothing behind them.
    const damaged = await upload((await picture("png")).subarray(0, 12));
    expect(damaged.status).toBe(422);
    expect(damaged.body).toEqual({ detail: "Image could not be read (damaged PNG)" });
    const jpegHead = await upload(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]));
    expect(jpegHead.status).toBe(422);

    const huge = await upload(Buffer.concat([await picture("png"), Buffer.alloc(MAX_IMAGE_BYTES)]));
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual({ detail: "Image too large (at most 5 MiB)" });

    const wide = await upload(await picture("png", 10_001, 1));
    expect(wide.status).toBe(422);
    expect(wide.body).toEqual({ detail: "Image too big: at most 10000 pixels a side" });

    const json = await request(ctx.app).post(`${API}/admin/images`).set(bearer(admin)).send({ image: "x" });
    expect(json.status).toBe(415);
    const noPart = await request(ctx.app).post(`${API}/admin/images`).set(bearer(admin)).field("name", "x");
    expect(noPart.status).toBe(422);
    expect(noPart.body.detail[0]).toMatchObject({ loc: ["form", "image"], msg: "Field required" });
    const wrongPart = await request(ctx.app)
      .post(`${API}/admin/images`)
      .set(bearer(admin))
      .attach("file", await picture("png"), "a.png");
    expect(wrongPart.status).toBe(422);
    const empty = await upload(Buffer.alloc(0));
    expect(empty.status).toBe(422);
    expect(await ctx.db.image.count()).toBe(before);
  });

  it("requires an ADMIN engineer to upload, list and delete; serving is public", async ({
    i: { ctx, upload },
  }) => {
    const bytes = await picture("jpeg");
    expect((await request(ctx.app).post(`${API}/admin/images`).attach("image", bytes, "a.jpg")).status).toBe(
      401,
    );
    expect((await upload(bytes, "a.jpg", "not-a-token")).status).toBe(401);
    expect((await request(ctx.app).get(`${API}/admin/images`)).status).toBe(401);
    expect((await request(ctx.app).delete(`${API}/admin/images/${randomUUID()}`)).status).toBe(401);
    expect((await request(ctx.app).get(`${API}/images/${randomUUID()}`)).status).toBe(404);
    expect((await request(ctx.app).get(`${API}/images/${randomUUID()}`)).body).toEqual({
      detail: "Image not found",
    });
    expect((await request(ctx.app).get(`${API}/images/not-a-uuid`)).status).toBe(422);
  });

  it("lists newest first and deletes a picture only while no hotel or attraction shows it", async ({
    i: { ctx, admin, upload },
  }) => {
    const first = (await upload(await picture("png"))).body;
    const second = (await upload(await picture("webp"))).body;
    const page = await request(ctx.app).get(`${API}/admin/images?size=2`).set(bearer(admin));
    expect(page.status).toBe(200);
    expect(page.body.items.map((x: { id: string }) => x.id)).toEqual([second.id, first.id]);
    expect(page.body.items[0]).not.toHaveProperty("data");
    expect((await request(ctx.app).get(`${API}/admin/images/${first.id}`).set(bearer(admin))).body).toEqual(
      first,
    );

    const hotel = await request(ctx.app)
      .post(`${API}/admin/destination/KAZAN/hotel`)
      .set(bearer(admin))
      .send({ name: "Kazan Palace", description: "", logo_url: first.url });
    expect(hotel.status).toBe(200);
    const refused = await request(ctx.app).delete(`${API}/admin/images/${first.id}`).set(bearer(admin));
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({ detail: "Image is in use by a hotel or attraction" });
    expect((await request(ctx.app).get(first.url)).status).toBe(200);

    await request(ctx.app).delete(`${API}/admin/destination_info/hotel/${hotel.body.id}`).set(bearer(admin));
    expect((await request(ctx.app).delete(`${API}/admin/images/${first.id}`).set(bearer(admin))).status).toBe(
      200,
    );
    expect((await request(ctx.app).get(first.url)).status).toBe(404);
    const gone = await request(ctx.app).delete(`${API}/admin/images/${first.id}`).set(bearer(admin));
    expect(gone.status).toBe(404);
  });

  it("holds its invariants in the database too (type, size, hash)", async ({ i: { ctx } }) => {
    const insert = (type: string, data: Buffer, size: number, sha: string) =>
      ctx.db.$executeRaw`INSERT INTO images (sha256, content_type, size, width, height, data)
        VALUES (${sha}, ${type}, ${size}, 1, 1, ${data})`;
    const sha = createHash("sha256").update("x").digest("hex");
    await expect(insert("image/gif", Buffer.from("x"), 1, sha)).rejects.toThrow();
    await expect(insert("image/png", Buffer.from("x"), 2, sha)).rejects.toThrow();
    await expect(insert("image/png", Buffer.from("x"), 1, "nothex")).rejects.toThrow();
  });
});
