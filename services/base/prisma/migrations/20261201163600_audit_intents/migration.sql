-- Issue 12: no admin change without its audit entry.
-- An intent is written before an admin action runs (who, what, the entity before) and turned into its audit_log
-- entry in one transaction when the action has answered. An intent left behind by a stopped process is turned
-- into an entry with status 0 ("outcome unknown") by the recovery sweep.
-- CreateTable
CREATE TABLE "audit_intents" (
    "id" UUID NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "record" JSONB NOT NULL,

    CONSTRAINT "audit_intents_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_intents_at_idx" ON "audit_intents"("at");

-- Entries another service delivers (from its outbox, with retries) carry that service's key, so a delivery
-- repeated after a lost answer is written once.
-- AlterTable
ALTER TABLE "audit_log" ADD COLUMN     "source_key" VARCHAR(100);

-- CreateIndex
CREATE UNIQUE INDEX "audit_log_source_key_key" ON "audit_log"("source_key");
