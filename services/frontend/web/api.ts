import type { Auth } from "./auth.js";

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  size: number;
  pages: number;
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
  code: string;
}

export interface Order {
  id: string;
  store_id: string;
  store_name: string;
  date: string;
  total_penny: number;
  status: "pending" | "ready" | "delivered";
  items: { item_id: string; name: string; count: number; price_penny: number }[];
}

export interface TicketPurchase {
  wagon_number: number;
  place_number: number;
  station_id: "MOSCOW" | "SPB";
  destination_id: "MOSCOW" | "SPB";
  date: string;
}

/** An API error with the `detail` the service sent, rendered readably. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: unknown,
  ) {
    super(describeDetail(status, detail));
  }
}

function describeDetail(status: number, detail: unknown): string {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    // 422: pydantic-shaped list of {loc, msg}
    return detail
      .map(
        (d: { loc?: unknown[]; msg?: string }) =>
          `${(d.loc ?? []).slice(1).join(".") || "request"}: ${d.msg ?? "invalid"}`,
      )
      .join("; ");
  }
  return `Request failed (${status})`;
}

/** Calls the base API with the signed-in passenger's access token. */
export class Api {
  constructor(
    private readonly baseUrl: string,
    private readonly auth: Auth,
  ) {}

  private async call<T>(method: string, path: string, body?: BodyInit, json = true): Promise<T> {
    const user = await this.auth.user();
    if (!user) {
      await this.auth.signIn();
      throw new ApiError(401, "Signing in…");
    }
    const headers: Record<string, string> = {
      accept: "application/json",
      authorization: `Bearer ${user.access_token}`,
    };
    if (body !== undefined && json) headers["content-type"] = "application/json";
    const res = await fetch(this.baseUrl + path, { method, headers, body });
    const text = await res.text();
    let data: unknown = undefined;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined;
    }
    if (res.status === 401) {
      // Expired or revoked session: start over at Keycloak (SSO usually signs straight back in).
      await this.auth.manager.removeUser();
      await this.auth.signIn();
    }
    if (!res.ok) throw new ApiError(res.status, (data as { detail?: unknown } | undefined)?.detail);
    return data as T;
  }

  tickets(page = 1, size = 10) {
    return this.call<Page<Ticket>>("GET", `/frontend/tickets?page=${page}&size=${size}`);
  }

  buyTicket(purchase: TicketPurchase) {
    return this.call<Ticket>("POST", "/frontend/tickets", JSON.stringify(purchase));
  }

  /** true when a face is enrolled (200), false on 404 "Face not found". */
  async hasFace(): Promise<boolean> {
    try {
      await this.call("GET", "/frontend/faces");
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return false;
      throw err;
    }
  }

  enrolFace(photo: File) {
    const form = new FormData();
    form.append("file", photo);
    return this.call("POST", "/frontend/faces", form, false);
  }

  deleteFace() {
    return this.call("DELETE", "/frontend/faces");
  }

  orders(page = 1, size = 10) {
    return this.call<Page<Order>>("GET", `/frontend/orders?page=${page}&size=${size}`);
  }
}
