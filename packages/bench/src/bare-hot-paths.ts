/**
 * The framework ceiling of the robot's hot paths: what bare Express 5 with `express.json()`, `res.json()` and a
 * pg pool does for the same work as the services' routes, and nothing else (no authentication, validation,
 * request ids, logs, metrics, batching or error handling). Each request runs one prepared statement: the user
 * lookup's and the ticket check's SELECT, the store's own one-statement purchase (`PURCHASE_SQL`, imported so
 * that the ceiling runs exactly what the store runs). Started by the bench (scenarios/ceiling.ts) on an ephemeral
 * port, over the stack's databases, with its own nginx in front (src/private-nginx.ts); prints the port on stdout.
 */
import type { AddressInfo } from "node:net";
import express from "express";
import pg from "pg";
import { PURCHASE_SQL } from "../../../services/store/src/purchases/purchases.repository.js";
import { need } from "./env.js";

// As the services open theirs (packages/common/src/prisma.ts): ten connections, no JIT.
const openPool = (url: string) => new pg.Pool({ connectionString: url, max: 10, options: "-c jit=off" });
const base = openPool(need("BASE_DATABASE_URL"));
const store = openPool(need("STORE_DATABASE_URL"));

interface PurchaseBody {
  user_id: string;
  items: { item_id: string; count: number }[];
  is_default_ready: boolean;
}

const app = express();
// The kit baseline's path, which the bench's own nginx in front of it routes like the stack's.
app.get("/base_api/v1/health", (_req, res) => {
  res.json({ status: "ok", service: "bare" });
});
app.get("/base_api/v1/robot/user/:id", async (req, res) => {
  const { rows } = await base.query<{ id: string; name: string }>({
    name: "user",
    text: "SELECT id, name FROM users WHERE id = $1::uuid",
    values: [req.params.id],
  });
  if (!rows[0]) res.status(404).json({ detail: "User not found" });
  else res.json({ id: rows[0].id, name: rows[0].name });
});
app.post("/base_api/v1/robot/ticket_validation", express.json(), async (req, res) => {
  const check = req.body as { code: string; train_number: number; station_id: string };
  // The answer's fields as the SELECT names them (dates serialise to the same ISO strings as the service's).
  const { rows } = await base.query<{ train_number: number; station_id: string }>({
    name: "ticket",
    text: `SELECT user_id, train_number, wagon_number, place_number, station_id, destination_id AS destination, date,
      start_date, id, code FROM tickets WHERE code = $1`,
    values: [check.code],
  });
  const ticket = rows[0];
  if (!ticket) res.status(401).json({ detail: "Invalid ticket code" });
  else if (ticket.train_number !== check.train_number || ticket.station_id !== check.station_id)
    res.status(400).json({ detail: "Invalid train number" });
  else res.json(ticket);
});
app.post("/store_api/v1/robot/store/:store_id/make_purchase", express.json(), async (req, res) => {
  const body = req.body as PurchaseBody;
  const lines = body.items;
  try {
    const { rows } = await store.query<{
      id: string;
      created_at: Date;
      total_penny: string;
      item_id: string;
      name: string;
      price_penny: number;
    }>({
      name: "purchase",
      text: PURCHASE_SQL,
      values: [
        req.params.store_id,
        lines.map((l) => l.item_id),
        lines.map((l) => l.count),
        lines.map((_l, i) => i),
        body.user_id,
        body.is_default_ready,
        "{}",
        null,
        null,
        "",
        "",
        "",
        false,
        lines.length,
      ],
    });
    const first = rows[0]!;
    res.json({
      id: first.id,
      store_id: req.params.store_id,
      user_id: body.user_id,
      items: rows.map((row, i) => ({
        item_id: row.item_id,
        count: lines[i]!.count,
        name: row.name,
        price_penny: row.price_penny,
      })),
      total_penny: Number(first.total_penny),
      date: first.created_at.toISOString(),
    });
  } catch (err) {
    res.status(400).json({ detail: (err as Error).message });
  }
});
const server = app.listen(0, "127.0.0.1", () => console.log((server.address() as AddressInfo).port));
