import type { LoadResult } from "./load.js";

/** One line of the report's table. */
export interface Row {
  section: string;
  /** Stable key for the targets table, e.g. "hot"; scenarios without targets leave it out. */
  id?: string;
  name: string;
  /** What the ratio is taken against: the kit baseline through nginx, unless a scenario says otherwise. */
  result?: LoadResult;
  /** A remark shown beside the figures (e.g. a check that held, or what one request does). */
  note?: string;
  /** Set when the scenario could not run; the bench goes on with the next one. */
  error?: string;
}

export interface RunSettings {
  short: boolean;
  duration: number;
  connections: number;
  ticketSizes: number[];
  faceSizes: number[];
  purchaseSizes: number[];
}

export type Report = (row: Row) => void;
