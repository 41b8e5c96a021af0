-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" VARCHAR(60) NOT NULL,
    "email" VARCHAR(256),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tickets" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "train_number" INTEGER NOT NULL,
    "wagon_number" INTEGER NOT NULL,
    "place_number" INTEGER NOT NULL,
    "station_id" VARCHAR(60) NOT NULL,
    "destination_id" VARCHAR(60) NOT NULL,
    "date" TIMESTAMPTZ(6) NOT NULL,
    "start_date" TIMESTAMPTZ(6) NOT NULL,
    "code" VARCHAR(128) NOT NULL,
    "used" BOOLEAN NOT NULL DEFAULT false,
    "used_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tickets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "engineers" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "login" VARCHAR(60) NOT NULL,
    "password_hash" VARCHAR(100) NOT NULL,
    "privileges" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "engineers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "auth_cards" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "engineer_id" UUID NOT NULL,
    "key" VARCHAR(256) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "auth_cards_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "robots" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "robot_model_id" VARCHAR(60) NOT NULL,
    "robot_model_name" VARCHAR(60) NOT NULL,
    "public_key" VARCHAR(1000) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "robots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "active_stores" (
    "id" UUID NOT NULL,
    "public_key" VARCHAR(1000) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "active_stores_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "hotels" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" VARCHAR(256) NOT NULL,
    "description" VARCHAR(1024) NOT NULL,
    "logo_url" VARCHAR(256) NOT NULL,
    "destination_id" VARCHAR(256) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "hotels_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "attractions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" VARCHAR(256) NOT NULL,
    "description" VARCHAR(1024) NOT NULL,
    "logo_url" VARCHAR(256) NOT NULL,
    "destination_id" VARCHAR(256) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "attractions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "train_stores" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "store_id" UUID NOT NULL,
    "train_number" INTEGER NOT NULL,
    "train_date" TIMESTAMPTZ(6) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "train_stores_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "keycloak_users" (
    "id" VARCHAR(255) NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "keycloak_users_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "users_name_idx" ON "users"("name");

-- CreateIndex
CREATE UNIQUE INDEX "tickets_code_key" ON "tickets"("code");

-- CreateIndex
CREATE INDEX "tickets_user_id_train_number_date_idx" ON "tickets"("user_id", "train_number", "date");

-- CreateIndex
CREATE INDEX "tickets_user_id_train_number_start_date_idx" ON "tickets"("user_id", "train_number", "start_date");

-- CreateIndex
CREATE INDEX "tickets_user_id_date_idx" ON "tickets"("user_id", "date");

-- CreateIndex
CREATE UNIQUE INDEX "tickets_seat_key" ON "tickets"("train_number", "start_date", "wagon_number", "place_number");

-- CreateIndex
CREATE UNIQUE INDEX "engineers_login_key" ON "engineers"("login");

-- CreateIndex
CREATE UNIQUE INDEX "auth_cards_engineer_id_key" ON "auth_cards"("engineer_id");

-- CreateIndex
CREATE UNIQUE INDEX "auth_cards_key_key" ON "auth_cards"("key");

-- CreateIndex
CREATE UNIQUE INDEX "robots_robot_model_id_key" ON "robots"("robot_model_id");

-- CreateIndex
CREATE INDEX "hotels_destination_id_created_at_idx" ON "hotels"("destination_id", "created_at");

-- CreateIndex
CREATE INDEX "attractions_destination_id_created_at_idx" ON "attractions"("destination_id", "created_at");

-- CreateIndex
CREATE INDEX "train_stores_train_number_train_date_idx" ON "train_stores"("train_number", "train_date");

-- CreateIndex
CREATE UNIQUE INDEX "train_stores_binding_key" ON "train_stores"("store_id", "train_number", "train_date");

-- CreateIndex
CREATE INDEX "keycloak_users_user_id_idx" ON "keycloak_users"("user_id");

-- AddForeignKey
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "auth_cards" ADD CONSTRAINT "auth_cards_engineer_id_fkey" FOREIGN KEY ("engineer_id") REFERENCES "engineers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "keycloak_users" ADD CONSTRAINT "keycloak_users_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Invariants Prisma cannot express.
ALTER TABLE "tickets"
    ADD CONSTRAINT "tickets_train_number_positive" CHECK ("train_number" > 0),
    ADD CONSTRAINT "tickets_wagon_number_positive" CHECK ("wagon_number" > 0),
    ADD CONSTRAINT "tickets_place_number_positive" CHECK ("place_number" > 0),
    ADD CONSTRAINT "tickets_code_not_empty" CHECK (length("code") >= 32),
    ADD CONSTRAINT "tickets_used_at_iff_used" CHECK ("used" = ("used_at" IS NOT NULL));
ALTER TABLE "engineers"
    ADD CONSTRAINT "engineers_privileges_range" CHECK ("privileges" BETWEEN 0 AND 15),
    ADD CONSTRAINT "engineers_login_not_empty" CHECK (length("login") > 0);
ALTER TABLE "auth_cards" ADD CONSTRAINT "auth_cards_key_not_empty" CHECK (length("key") > 0);
ALTER TABLE "train_stores" ADD CONSTRAINT "train_stores_train_number_positive" CHECK ("train_number" > 0);
