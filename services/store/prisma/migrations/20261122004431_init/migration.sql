-- CreateEnum
CREATE TYPE "store_type" AS ENUM ('SHOP', 'RESTAURANT');

-- CreateTable
CREATE TABLE "stores" (
    "id" UUID NOT NULL,
    "name" VARCHAR(50) NOT NULL,
    "description" VARCHAR(255) NOT NULL,
    "logo_url" VARCHAR(255) NOT NULL,
    "store_type" "store_type" NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stores_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "store_items" (
    "id" UUID NOT NULL,
    "store_id" UUID NOT NULL,
    "name" VARCHAR(50) NOT NULL,
    "description" VARCHAR(255) NOT NULL,
    "logo_url" VARCHAR(255) NOT NULL,
    "balance" INTEGER NOT NULL,
    "price_penny" INTEGER NOT NULL,
    "category" VARCHAR(100) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "store_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "purchases" (
    "id" UUID NOT NULL,
    "store_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "total_penny" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "purchases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "purchase_items" (
    "id" UUID NOT NULL,
    "purchase_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "item_id" UUID NOT NULL,
    "name" VARCHAR(50) NOT NULL,
    "count" INTEGER NOT NULL,
    "price_penny" INTEGER NOT NULL,

    CONSTRAINT "purchase_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tasks" (
    "id" UUID NOT NULL,
    "store_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "purchase_id" UUID NOT NULL,
    "is_ready" BOOLEAN NOT NULL,
    "additional_data" JSONB NOT NULL DEFAULT '{}',
    "train_number" INTEGER,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ready_at" TIMESTAMPTZ(6),
    "delivered_at" TIMESTAMPTZ(6),

    CONSTRAINT "tasks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "scope" VARCHAR(100) NOT NULL,
    "key" VARCHAR(255) NOT NULL,
    "request_hash" CHAR(64) NOT NULL,
    "purchase_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("scope","key")
);

-- CreateIndex
CREATE UNIQUE INDEX "stores_name_key" ON "stores"("name");

-- CreateIndex
CREATE INDEX "store_items_store_id_idx" ON "store_items"("store_id");

-- CreateIndex
CREATE INDEX "purchases_store_id_user_id_created_at_idx" ON "purchases"("store_id", "user_id", "created_at");

-- CreateIndex
CREATE INDEX "purchases_user_id_created_at_idx" ON "purchases"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "purchase_items_item_id_idx" ON "purchase_items"("item_id");

-- CreateIndex
CREATE UNIQUE INDEX "purchase_items_purchase_id_item_id_key" ON "purchase_items"("purchase_id", "item_id");

-- CreateIndex
CREATE UNIQUE INDEX "tasks_purchase_id_key" ON "tasks"("purchase_id");

-- CreateIndex
CREATE INDEX "tasks_store_id_is_ready_created_at_idx" ON "tasks"("store_id", "is_ready", "created_at");

-- CreateIndex
CREATE INDEX "tasks_train_number_is_ready_created_at_idx" ON "tasks"("train_number", "is_ready", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "idempotency_keys_purchase_id_key" ON "idempotency_keys"("purchase_id");

-- AddForeignKey
ALTER TABLE "store_items" ADD CONSTRAINT "store_items_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "purchase_items" ADD CONSTRAINT "purchase_items_purchase_id_fkey" FOREIGN KEY ("purchase_id") REFERENCES "purchases"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_purchase_id_fkey" FOREIGN KEY ("purchase_id") REFERENCES "purchases"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_purchase_id_fkey" FOREIGN KEY ("purchase_id") REFERENCES "purchases"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Invariants Prisma cannot express: stock never negative, prices never negative, lines always sell
-- something, a task is delivered only after it was ready.
ALTER TABLE "store_items" ADD CONSTRAINT "store_items_balance_check" CHECK ("balance" >= 0);
ALTER TABLE "store_items" ADD CONSTRAINT "store_items_price_penny_check" CHECK ("price_penny" >= 0);
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_total_penny_check" CHECK ("total_penny" >= 0);
ALTER TABLE "purchase_items" ADD CONSTRAINT "purchase_items_count_check" CHECK ("count" > 0);
ALTER TABLE "purchase_items" ADD CONSTRAINT "purchase_items_price_penny_check" CHECK ("price_penny" >= 0);
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_delivered_after_ready_check" CHECK ("delivered_at" IS NULL OR "is_ready");
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_additional_data_object_check" CHECK (jsonb_typeof("additional_data") = 'object');
