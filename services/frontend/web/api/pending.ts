/**
 * Routes announced on the coordination board but not yet in the services' routers (timetable, holds, web
 * shop). Declared in openapi-typescript's shape so the client is typed today; each entry is deleted as soon
 * as `pnpm openapi` generates it from the real router (scripts/openapi.ts), after which the generated type wins.
 */
interface Json<T> {
  content: { "application/json": T };
}
interface Op<Params, Body, Result> {
  parameters: Params;
  requestBody?: Body extends never ? never : Json<Body>;
  responses: { 200: Json<Result>; 201: Json<Result>; default: Json<{ detail: unknown }> };
}
type NoParams = { query?: never; path?: never; header?: never };

export interface Station {
  id: string;
  name_ru: string;
  name_en: string;
  time_zone: string;
}
export type SeatClass = "economy" | "comfort" | "business" | "first";
export interface RunSummary {
  run_id: string;
  train_number: number;
  from: Station;
  to: Station;
  departure: string;
  arrival: string;
  duration_minutes: number;
  classes: { class: SeatClass; free_seats: number; total_seats: number }[];
}
export type PlaceStatus = "free" | "held" | "taken";
export interface WagonSeats {
  number: number;
  class: SeatClass;
  seats: number;
  places: { number: number; status: PlaceStatus }[];
}
export interface RunSeats {
  run_id: string;
  train_number: number;
  wagons: WagonSeats[];
}
export interface Hold {
  id: string;
  run_id: string;
  train_number: number;
  wagon_number: number;
  place_number: number;
  station_id: string;
  destination_id: string;
  expires_at: string;
}
export interface ShopItem {
  id: string;
  name: string;
  price_penny: number;
  count: number;
}
export interface Shop {
  ticket: { id: string; run_id: string; train_number: number; wagon_number: number; place_number: number };
  stores: { id: string; name: string; items: ShopItem[] }[];
}
export interface HoldRequest {
  run_id: string;
  wagon_number: number;
  place_number: number;
  station_id: string;
  destination_id: string;
}
export interface OrderRequest {
  ticket_id: string;
  store_id: string;
  items: { item_id: string; count: number }[];
}

export interface pendingPaths {
  "/timetable/stations": { get: Op<NoParams, never, Station[]> };
  "/timetable/runs": {
    get: Op<{ query: { from: string; to: string; date: string } }, never, RunSummary[]>;
  };
  "/timetable/runs/{run_id}": { get: Op<{ path: { run_id: string } }, never, RunDetail> };
  "/timetable/runs/{run_id}/seats": { get: Op<{ path: { run_id: string } }, never, RunSeats> };
  "/frontend/holds": { post: Op<NoParams, HoldRequest, Hold> };
  "/frontend/holds/{hold_id}": { delete: Op<{ path: { hold_id: string } }, never, { status: string }> };
  "/frontend/holds/{hold_id}/confirm": { post: Op<{ path: { hold_id: string } }, never, unknown> };
  "/frontend/shop": { get: Op<NoParams, never, Shop> };
  "/frontend/orders": {
    post: Op<{ header?: { "Idempotency-Key"?: string } }, OrderRequest, unknown>;
  };
}

export interface RunDetail {
  run_id: string;
  train_number: number;
  departure: string;
  stops: { station: Station; arrival: string | null; departure: string | null }[];
  wagons: { number: number; class: SeatClass; seats: number; free_seats: number }[];
}
