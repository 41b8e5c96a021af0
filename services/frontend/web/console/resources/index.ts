import type { ConsoleResource } from "../common.js";
import type { ResourceRoutes } from "../data.js";
import { attractions, hotels } from "./places.js";
import { faces, passengers } from "./passengers.js";
import { audit, authCards, engineers } from "./people.js";
import { robots, storeTerminals } from "./robots.js";
import { runs } from "./runs.js";
import { stations } from "./stations.js";
import { items, stores } from "./stores.js";
import { ticketKeys, ticketUseConflicts } from "./ticket-keys.js";
import { tickets } from "./tickets.js";
import { trains } from "./trains.js";

/** The console's resources, in menu order. */
export const CONSOLE_RESOURCES: ConsoleResource[] = [
  stores,
  items,
  stations,
  trains,
  runs,
  hotels,
  attractions,
  robots,
  passengers,
  faces,
  audit,
  tickets,
  engineers,
  authCards,
  storeTerminals,
  ticketKeys,
  ticketUseConflicts,
];

/** Each resource's routes, for the data provider. */
export const ROUTES: Record<string, ResourceRoutes> = Object.fromEntries(
  CONSOLE_RESOURCES.map((r) => [r.name, r.routes]),
);
