-- Issue 12: engineer-uploaded pictures (hotel, attraction and store item logos), served by id from any replica.
-- CreateTable
CREATE TABLE "images" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "sha256" CHAR(64) NOT NULL,
    "content_type" VARCHAR(32) NOT NULL,
    "size" INTEGER NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "images_pkey" PRIMARY KEY ("id"),
    -- What the service checks, held by the database too: only the three served types, the size is that of the data.
    CONSTRAINT "images_content_type_check" CHECK ("content_type" IN ('image/jpeg', 'image/png', 'image/webp')),
    CONSTRAINT "images_size_check" CHECK ("size" > 0 AND "size" = octet_length("data")),
    CONSTRAINT "images_sha256_check" CHECK ("sha256" ~ '^[0-9a-f]{64}$'),
    CONSTRAINT "images_dimensions_check" CHECK ("width" > 0 AND "height" > 0)
);

-- JPEG/PNG/WebP are compressed already: store out of line without trying to compress again.
ALTER TABLE "images" ALTER COLUMN "data" SET STORAGE EXTERNAL;

-- CreateIndex
CREATE UNIQUE INDEX "images_sha256_key" ON "images"("sha256");

-- CreateIndex
CREATE INDEX "images_created_at_idx" ON "images"("created_at");
