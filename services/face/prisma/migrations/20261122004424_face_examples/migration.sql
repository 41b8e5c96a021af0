-- CreateEnum
CREATE TYPE "FaceExampleState" AS ENUM ('pending', 'active', 'deleting');

-- CreateTable
CREATE TABLE "face_examples" (
    "id" UUID NOT NULL,
    "user_id" VARCHAR(128) NOT NULL,
    "state" "FaceExampleState" NOT NULL DEFAULT 'pending',
    "detector_score" DOUBLE PRECISION NOT NULL,
    "box_x" INTEGER NOT NULL,
    "box_y" INTEGER NOT NULL,
    "box_width" INTEGER NOT NULL,
    "box_height" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "face_examples_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "face_examples_user_id_state_idx" ON "face_examples"("user_id", "state");

-- CreateIndex
CREATE INDEX "face_examples_state_updated_at_idx" ON "face_examples"("state", "updated_at");

-- Invariants Prisma cannot express: a detector score is a probability and a box has an area.
ALTER TABLE "face_examples"
    ADD CONSTRAINT "face_examples_detector_score_range" CHECK ("detector_score" >= 0 AND "detector_score" <= 1),
    ADD CONSTRAINT "face_examples_box_positive" CHECK ("box_width" > 0 AND "box_height" > 0 AND "box_x" >= 0 AND "box_y" >= 0),
    ADD CONSTRAINT "face_examples_user_id_not_blank" CHECK (length(btrim("user_id")) > 0);
