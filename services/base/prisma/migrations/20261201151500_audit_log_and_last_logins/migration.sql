-- Issue 12: last challenge login of robots and store terminals, and the append-only admin audit log.
-- AlterTable
ALTER TABLE "active_stores" ADD COLUMN     "last_login_at" TIMESTAMPTZ(6);

-- AlterTable
ALTER TABLE "robots" ADD COLUMN     "last_login_at" TIMESTAMPTZ(6);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_kind" VARCHAR(16) NOT NULL,
    "actor_id" UUID,
    "actor_login" VARCHAR(60),
    "action" VARCHAR(200) NOT NULL,
    "method" VARCHAR(10) NOT NULL,
    "entity" VARCHAR(60) NOT NULL,
    "entity_id" VARCHAR(200),
    "status" INTEGER NOT NULL,
    "request_id" VARCHAR(128),
    "request" JSONB,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- CreateIndex
CREATE INDEX "audit_log_entity_at_idx" ON "audit_log"("entity", "at");

-- CreateIndex
CREATE INDEX "audit_log_actor_id_at_idx" ON "audit_log"("actor_id", "at");


-- The log cannot be edited: every UPDATE, DELETE or TRUNCATE is refused by the database itself.
-- Prisma's migration runner splits scripts at every semicolon (even inside quotes), so the body's one semicolon
-- is written as the escape \073.
CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS
  E'BEGIN RAISE EXCEPTION ''audit_log is append-only (% refused)'', TG_OP USING ERRCODE = ''insufficient_privilege''\073 END';
CREATE TRIGGER "audit_log_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"();
