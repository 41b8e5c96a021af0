/** Names for the generated response types the pages use (web/api/base.ts is generated; see scripts/openapi.ts). */
import type { paths } from "./base.js";

type Json<Op> = Op extends { responses: infer R }
  ? R extends { 200: { content: { "application/json": infer T } } }
    ? T
    : R extends { 201: { content: { "application/json": infer T } } }
      ? T
      : never
  : never;

export type RunSummary = Json<paths["/timetable/runs"]["get"]>[number];
export type Station = RunSummary["from"];
export type RunDetail = Json<paths["/timetable/runs/{run_id}"]["get"]>;
export type RunSeats = Json<paths["/timetable/runs/{run_id}/seats"]["get"]>;
export type WagonSeats = RunSeats["wagons"][number];
export type PlaceStatus = WagonSeats["places"][number]["status"];
export type SeatClass = WagonSeats["class"];
export type Hold = Json<paths["/frontend/holds"]["post"]>;
export type Shop = Json<paths["/frontend/shop"]["get"]>;
export type Order = Json<paths["/frontend/orders"]["post"]>;
