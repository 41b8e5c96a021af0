-- The railway as data: stations, trains (route + wagons), dated runs, seat holds. Existing rows are carried
-- over: free-text station ids become station codes, every (train_number, start_date) of a ticket and every
-- (train_number, train_date) of a store binding becomes a run of a train.

-- CreateTable
CREATE TABLE "stations" (
    "id" VARCHAR(60) NOT NULL,
    "name_ru" VARCHAR(120) NOT NULL,
    "name_en" VARCHAR(120) NOT NULL,
    "time_zone" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trains" (
    "number" INTEGER NOT NULL,
    "name" VARCHAR(120) NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trains_pkey" PRIMARY KEY ("number")
);

-- CreateTable
CREATE TABLE "train_stops" (
    "train_number" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "station_id" VARCHAR(60) NOT NULL,
    "arrival_minutes" INTEGER NOT NULL,
    "departure_minutes" INTEGER NOT NULL,

    CONSTRAINT "train_stops_pkey" PRIMARY KEY ("train_number","position")
);

-- CreateTable
CREATE TABLE "wagons" (
    "train_number" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "class" VARCHAR(20) NOT NULL,
    "seats" INTEGER NOT NULL,

    CONSTRAINT "wagons_pkey" PRIMARY KEY ("train_number","number")
);

-- CreateTable
CREATE TABLE "runs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "train_number" INTEGER NOT NULL,
    "departure" TIMESTAMPTZ(6) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "seat_holds" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "run_id" UUID NOT NULL,
    "wagon_number" INTEGER NOT NULL,
    "place_number" INTEGER NOT NULL,
    "user_id" UUID NOT NULL,
    "station_id" VARCHAR(60) NOT NULL,
    "destination_id" VARCHAR(60) NOT NULL,
    "expires_at" TIMESTAMPTZ(6) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "seat_holds_pkey" PRIMARY KEY ("id")
);

-- Carry-over --------------------------------------------------------------------------------------------------

-- Free-text station ids → station codes (`MOSCOW`, `SPB`, ...). Known spellings of the two reference stations map
-- to their codes, anything else becomes upper-case letters, digits and `_` (the original text is kept as the
-- station's names, so nothing is lost: engineers can rename the station later).
CREATE FUNCTION pg_temp.station_code(raw TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN lower(btrim(raw)) IN ('moscow', 'moskva', 'msk', 'москва', 'мск') THEN 'MOSCOW'
        WHEN lower(btrim(raw)) IN ('spb', 'saint petersburg', 'saint-petersburg', 'st petersburg',
            'st. petersburg', 'sankt-peterburg', 'sankt peterburg', 'petersburg', 'санкт-петербург',
            'санкт петербург', 'петербург', 'спб') THEN 'SPB'
        ELSE (
            SELECT CASE
                WHEN c = '' THEN 'STATION_' || upper(left(md5(raw), 8))
                WHEN c ~ '^[A-Z]' THEN left(c, 60)
                ELSE left('S' || c, 60)
            END
            FROM (SELECT btrim(upper(regexp_replace(btrim(raw), '[^A-Za-z0-9]+', '_', 'g')), '_') AS c) AS n
        )
    END
$$;

INSERT INTO "stations" ("id", "name_ru", "name_en", "time_zone") VALUES
    ('MOSCOW', 'Москва', 'Moscow', 'Europe/Moscow'),
    ('SPB', 'Санкт-Петербург', 'Saint Petersburg', 'Europe/Moscow');

-- The old system timetabled everything in Moscow time.
INSERT INTO "stations" ("id", "name_ru", "name_en", "time_zone")
SELECT DISTINCT ON (pg_temp.station_code(raw)) pg_temp.station_code(raw), left(btrim(raw), 120),
    left(btrim(raw), 120), 'Europe/Moscow'
FROM (
    SELECT "station_id" AS raw FROM "tickets"
    UNION SELECT "destination_id" FROM "tickets"
    UNION SELECT "destination_id" FROM "hotels"
    UNION SELECT "destination_id" FROM "attractions"
) AS legacy
WHERE btrim(raw) <> ''
ORDER BY pg_temp.station_code(raw), raw
ON CONFLICT ("id") DO NOTHING;

UPDATE "tickets" SET "station_id" = pg_temp.station_code("station_id")
    WHERE "station_id" IS DISTINCT FROM pg_temp.station_code("station_id");
UPDATE "tickets" SET "destination_id" = pg_temp.station_code("destination_id")
    WHERE "destination_id" IS DISTINCT FROM pg_temp.station_code("destination_id");
UPDATE "hotels" SET "destination_id" = pg_temp.station_code("destination_id")
    WHERE "destination_id" IS DISTINCT FROM pg_temp.station_code("destination_id");
UPDATE "attractions" SET "destination_id" = pg_temp.station_code("destination_id")
    WHERE "destination_id" IS DISTINCT FROM pg_temp.station_code("destination_id");

-- AlterTable (codes are at most 60 characters)
ALTER TABLE "hotels" ALTER COLUMN "destination_id" SET DATA TYPE VARCHAR(60);
ALTER TABLE "attractions" ALTER COLUMN "destination_id" SET DATA TYPE VARCHAR(60);

-- Every train number in use becomes a train.
INSERT INTO "trains" ("number")
SELECT "train_number" FROM "tickets" UNION SELECT "train_number" FROM "train_stores";

-- A legacy train's route, from its tickets: each boarding station at its (earliest) offset from the run's start,
-- then the destinations that are not boarding stations, 4 hours apart (the old timetable had no arrival times).
WITH t AS (
    SELECT "train_number", "station_id", "destination_id",
        GREATEST(0, round(extract(epoch FROM ("date" - "start_date")) / 60))::int AS off
    FROM "tickets"
), boarding AS (
    SELECT "train_number", "station_id", min(off) AS off FROM t GROUP BY 1, 2
), last_boarding AS (
    SELECT "train_number", max(off) AS off FROM boarding GROUP BY 1
), alighting AS (
    SELECT DISTINCT t."train_number", t."destination_id" AS "station_id" FROM t
    WHERE NOT EXISTS (
        SELECT 1 FROM boarding b WHERE b."train_number" = t."train_number" AND b."station_id" = t."destination_id"
    )
), stops AS (
    SELECT "train_number", "station_id", off FROM boarding
    UNION ALL
    SELECT a."train_number", a."station_id",
        l.off + 240 * row_number() OVER (PARTITION BY a."train_number" ORDER BY a."station_id")::int
    FROM alighting a JOIN last_boarding l USING ("train_number")
)
INSERT INTO "train_stops" ("train_number", "position", "station_id", "arrival_minutes", "departure_minutes")
SELECT "train_number", (row_number() OVER (PARTITION BY "train_number" ORDER BY off, "station_id") - 1)::int,
    "station_id", off, off
FROM stops;

-- Wagons as the old web site sold them (wagons 1-20 of 100 places), plus every other wagon a ticket names, each
-- widened to fit every sold place.
INSERT INTO "wagons" ("train_number", "number", "class", "seats")
SELECT w."train_number", w."number", 'economy', GREATEST(100, COALESCE(max(t."place_number"), 0))
FROM (
    SELECT tr."number" AS "train_number", n AS "number" FROM "trains" tr CROSS JOIN generate_series(1, 20) AS n
    UNION SELECT "train_number", "wagon_number" FROM "tickets"
) AS w
LEFT JOIN "tickets" t ON t."train_number" = w."train_number" AND t."wagon_number" = w."number"
GROUP BY w."train_number", w."number";

-- Every (train, start instant) in use becomes a run.
INSERT INTO "runs" ("train_number", "departure")
SELECT "train_number", "start_date" FROM "tickets" UNION SELECT "train_number", "train_date" FROM "train_stores";

-- DropIndex (the seat and the binding become unique per run)
DROP INDEX "tickets_seat_key";
DROP INDEX "train_stores_binding_key";

-- AlterTable
ALTER TABLE "tickets" ADD COLUMN "run_id" UUID;
UPDATE "tickets" t SET "run_id" = r."id" FROM "runs" r
    WHERE r."train_number" = t."train_number" AND r."departure" = t."start_date";
ALTER TABLE "tickets" ALTER COLUMN "run_id" SET NOT NULL;

ALTER TABLE "train_stores" ADD COLUMN "run_id" UUID;
UPDATE "train_stores" s SET "run_id" = r."id" FROM "runs" r
    WHERE r."train_number" = s."train_number" AND r."departure" = s."train_date";
ALTER TABLE "train_stores" ALTER COLUMN "run_id" SET NOT NULL;

-- CreateIndex
CREATE INDEX "train_stops_station_id_idx" ON "train_stops"("station_id");

-- CreateIndex
CREATE UNIQUE INDEX "train_stops_train_number_station_id_key" ON "train_stops"("train_number", "station_id");

-- CreateIndex
CREATE INDEX "runs_departure_idx" ON "runs"("departure");

-- CreateIndex
CREATE UNIQUE INDEX "runs_train_departure_key" ON "runs"("train_number", "departure");

-- CreateIndex
CREATE INDEX "seat_holds_user_id_idx" ON "seat_holds"("user_id");

-- CreateIndex
CREATE INDEX "seat_holds_expires_at_idx" ON "seat_holds"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "seat_holds_seat_key" ON "seat_holds"("run_id", "wagon_number", "place_number");

-- CreateIndex
CREATE UNIQUE INDEX "tickets_seat_key" ON "tickets"("run_id", "wagon_number", "place_number");

-- CreateIndex
CREATE INDEX "train_stores_run_id_created_at_idx" ON "train_stores"("run_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "train_stores_binding_key" ON "train_stores"("store_id", "run_id");

-- AddForeignKey
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_station_id_fkey" FOREIGN KEY ("station_id") REFERENCES "stations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_destination_id_fkey" FOREIGN KEY ("destination_id") REFERENCES "stations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "hotels" ADD CONSTRAINT "hotels_destination_id_fkey" FOREIGN KEY ("destination_id") REFERENCES "stations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attractions" ADD CONSTRAINT "attractions_destination_id_fkey" FOREIGN KEY ("destination_id") REFERENCES "stations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "train_stores" ADD CONSTRAINT "train_stores_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "train_stops" ADD CONSTRAINT "train_stops_train_number_fkey" FOREIGN KEY ("train_number") REFERENCES "trains"("number") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "train_stops" ADD CONSTRAINT "train_stops_station_id_fkey" FOREIGN KEY ("station_id") REFERENCES "stations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "wagons" ADD CONSTRAINT "wagons_train_number_fkey" FOREIGN KEY ("train_number") REFERENCES "trains"("number") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_train_number_fkey" FOREIGN KEY ("train_number") REFERENCES "trains"("number") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "seat_holds" ADD CONSTRAINT "seat_holds_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "seat_holds" ADD CONSTRAINT "seat_holds_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "seat_holds" ADD CONSTRAINT "seat_holds_station_id_fkey" FOREIGN KEY ("station_id") REFERENCES "stations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "seat_holds" ADD CONSTRAINT "seat_holds_destination_id_fkey" FOREIGN KEY ("destination_id") REFERENCES "stations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Invariants Prisma cannot express.
ALTER TABLE "stations"
    ADD CONSTRAINT "stations_id_code" CHECK ("id" ~ '^[A-Z][A-Z0-9_]*$'),
    ADD CONSTRAINT "stations_names_not_empty" CHECK (length(btrim("name_ru")) > 0 AND length(btrim("name_en")) > 0),
    ADD CONSTRAINT "stations_time_zone_not_empty" CHECK (length("time_zone") > 0);
ALTER TABLE "trains" ADD CONSTRAINT "trains_number_positive" CHECK ("number" > 0);
ALTER TABLE "train_stops"
    ADD CONSTRAINT "train_stops_position_range" CHECK ("position" >= 0),
    ADD CONSTRAINT "train_stops_times_ordered" CHECK ("arrival_minutes" >= 0 AND "departure_minutes" >= "arrival_minutes");
ALTER TABLE "wagons"
    ADD CONSTRAINT "wagons_number_positive" CHECK ("number" > 0),
    ADD CONSTRAINT "wagons_seats_range" CHECK ("seats" > 0),
    ADD CONSTRAINT "wagons_class_known" CHECK ("class" IN ('economy', 'comfort', 'business', 'first'));
ALTER TABLE "seat_holds"
    ADD CONSTRAINT "seat_holds_wagon_number_positive" CHECK ("wagon_number" > 0),
    ADD CONSTRAINT "seat_holds_place_number_positive" CHECK ("place_number" > 0),
    ADD CONSTRAINT "seat_holds_stations_differ" CHECK ("station_id" <> "destination_id");
