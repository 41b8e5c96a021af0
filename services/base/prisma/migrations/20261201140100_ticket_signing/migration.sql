-- Signed ticket codes and offline ticket checks (src/ticket-signing). Only this feature's tables.

CREATE TABLE "ticket_signing_keys" (
    "kid" VARCHAR(32) NOT NULL,
    "public_key" BYTEA NOT NULL,
    "private_key_enc" BYTEA NOT NULL,
    "current" BOOLEAN,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retired_at" TIMESTAMPTZ(6),
    "codes_valid_until" TIMESTAMPTZ(6),

    CONSTRAINT "ticket_signing_keys_pkey" PRIMARY KEY ("kid"),
    -- One current key at most: `current` is TRUE or NULL, and unique.
    CONSTRAINT "ticket_signing_keys_current_true_or_null" CHECK ("current"),
    CONSTRAINT "ticket_signing_keys_retired_iff_not_current" CHECK (("current" IS NULL) = ("retired_at" IS NOT NULL)),
    CONSTRAINT "ticket_signing_keys_public_key_ed25519" CHECK (octet_length("public_key") = 32)
);
CREATE UNIQUE INDEX "ticket_signing_keys_current_key" ON "ticket_signing_keys"("current");

CREATE TABLE "ticket_uses" (
    "use_id" UUID NOT NULL,
    "ticket_id" UUID NOT NULL,
    "robot_id" UUID NOT NULL,
    "train_number" INTEGER NOT NULL,
    "run_start" TIMESTAMPTZ(6) NOT NULL,
    "station_id" VARCHAR(60) NOT NULL,
    "wagon_number" INTEGER NOT NULL,
    "used_at" TIMESTAMPTZ(6) NOT NULL,
    "outcome" VARCHAR(16) NOT NULL,
    "first_used_at" TIMESTAMPTZ(6),
    "received_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ticket_uses_pkey" PRIMARY KEY ("use_id"),
    CONSTRAINT "ticket_uses_outcome_known" CHECK ("outcome" IN ('recorded', 'conflict', 'unknown_ticket'))
);
CREATE INDEX "ticket_uses_ticket_id_idx" ON "ticket_uses"("ticket_id");
CREATE INDEX "ticket_uses_outcome_received_at_idx" ON "ticket_uses"("outcome", "received_at");

CREATE TABLE "ticket_revocations" (
    "ticket_id" UUID NOT NULL,
    "train_number" INTEGER NOT NULL,
    "run_start" TIMESTAMPTZ(6) NOT NULL,
    "revoked_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ticket_revocations_pkey" PRIMARY KEY ("ticket_id")
);
CREATE INDEX "ticket_revocations_train_number_run_start_idx" ON "ticket_revocations"("train_number", "run_start");
