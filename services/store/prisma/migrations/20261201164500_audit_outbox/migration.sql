-- Issue 12: the store's admin actions reach the base service's audit log even when the base is down.
-- A row is written before an admin action runs, completed with its outcome before the answer, and delivered to
-- the base service (POST /internal/audit, idempotent per row id) with retries until it is accepted, then removed.
-- CreateTable
CREATE TABLE "audit_outbox" (
    "id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "report" JSONB NOT NULL,
    "completed" BOOLEAN NOT NULL DEFAULT false,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" VARCHAR(500),

    CONSTRAINT "audit_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_outbox_next_attempt_at_idx" ON "audit_outbox"("next_attempt_at");
