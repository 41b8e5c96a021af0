// Wire shapes of the robot routes (JSON names as the services send them).
import type { TicketKeyJwk } from "./ticket-code.js";

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  size: number;
  pages: number;
}

export interface User {
  id: string;
  name: string;
}

export interface Engineer {
  id: string;
  login: string;
}

export interface Ticket {
  id: string;
  user_id: string;
  train_number: number;
  wagon_number: number;
  place_number: number;
  station_id: string;
  destination: string;
  date: string;
  start_date: string;
  /** The secret code on the code path; "" elsewhere. */
  code: string;
}

export interface Destination {
  id: string;
}

export interface PlaceInfo {
  id: string;
  name: string;
  description: string;
  logo_url: string;
}

export interface TrainStores {
  /** Store ids (post them to storesList for names and items). */
  items: string[];
  [extra: string]: unknown;
}

export interface StoreItem {
  id: string;
  name: string;
  description: string;
  logo_url: string;
  balance: number;
  price_penny: number;
  category: string;
}

export interface Store {
  id: string;
  name: string;
  description: string;
  logo_url: string;
  store_type: "SHOP" | "RESTAURANT";
  items?: StoreItem[] | null;
}

export interface PurchaseRequest {
  user_id: string;
  items: { item_id: string; count: number }[];
  /** true: the task is ready at once (nothing to prepare). Default false. */
  is_default_ready?: boolean;
  additional_data?: Record<string, unknown>;
  /** The train the goods go to; robots list ready tasks by it. */
  train_number?: number;
}

export interface Purchase {
  id: string;
  store_id: string;
  user_id: string;
  items: { item_id: string; count: number; name: string; price_penny: number }[];
  total_penny: number;
  date: string;
}

export interface Task {
  id: string;
  purchase: Purchase;
  store_id: string;
  user_id: string;
  is_ready: boolean;
  status: "pending" | "ready" | "delivered";
  date: string;
  ready_at: string | null;
  delivered_at: string | null;
  train_number: number | null;
  additional_data: Record<string, unknown>;
}

export interface OfflinePack {
  run_id: string;
  train_number: number;
  start_date: string;
  generated_at: string;
  keys: TicketKeyJwk[];
  /** Tickets of the run refunded or cancelled: refuse their codes. */
  denied_ticket_ids: string[];
  /** Tickets of the run already used when the pack was made. */
  used_ticket_ids: string[];
}

export interface TicketUseUpload {
  use_id: string;
  code: string;
  station_id: string;
  wagon_number: number;
  used_at: string;
}

export interface TicketUseResult {
  use_id: string;
  ticket_id: string | null;
  status: "recorded" | "conflict" | "unknown_ticket" | "invalid_code";
  duplicate: boolean;
}
