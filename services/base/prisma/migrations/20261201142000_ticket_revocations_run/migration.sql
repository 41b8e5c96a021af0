-- Deny-list entries belong to their run and go away with it (ticket-signing).
ALTER TABLE "ticket_revocations" ADD COLUMN "run_id" UUID;
UPDATE "ticket_revocations" r SET "run_id" = runs."id"
  FROM "runs" WHERE runs."train_number" = r."train_number" AND runs."departure" = r."run_start";
-- Entries of runs that no longer exist deny nothing.
DELETE FROM "ticket_revocations" WHERE "run_id" IS NULL;
ALTER TABLE "ticket_revocations" ALTER COLUMN "run_id" SET NOT NULL;

CREATE INDEX "ticket_revocations_run_id_idx" ON "ticket_revocations"("run_id");

ALTER TABLE "ticket_revocations" ADD CONSTRAINT "ticket_revocations_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
