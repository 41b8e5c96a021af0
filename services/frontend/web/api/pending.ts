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

export interface ShopItem {
  id: string;
  name: string;
  price_penny: number;
  available: number;
}
export interface Shop {
  ticket: { id: string; run_id: string; train_number: number; wagon_number: number; place_number: number };
  stores: { id: string; name: string; items: ShopItem[] }[];
}
export interface OrderRequest {
  ticket_id: string;
  store_id: string;
  items: { item_id: string; count: number }[];
}

export interface pendingPaths {
  "/frontend/shop": { get: Op<NoParams, never, Shop> };
  "/frontend/orders": {
    post: Op<{ header?: { "Idempotency-Key"?: string } }, OrderRequest, unknown>;
  };
}
