import { HttpError } from "@rail/common";
import type { TripShopRepository } from "./trip-shop.repository.js";
import type { OrderDto, OrderRequest, ShopDto } from "./trip-shop.schemas.js";
import type { StoreGateway } from "../store/store.gateway.js";

const NO_TRIP = "No trip in progress";

/**
 * The on-board shop of a passenger's trip: only while one of their tickets' runs is under way (departed from
 * their station, not yet at their destination), only the stores bound to that run, delivered to that seat.
 */
export class TripShopService {
  constructor(
    private readonly deps: {
      repository: Pick<TripShopRepository, "tripsInProgress" | "storeIds">;
      store: Pick<StoreGateway, "getStore" | "purchase">;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.deps.now?.() ?? new Date();
  }

  async shop(userId: string): Promise<ShopDto> {
    const [trip] = await this.deps.repository.tripsInProgress(userId, this.now());
    if (!trip) throw new HttpError(404, NO_TRIP);
    const ids = await this.deps.repository.storeIds(trip.runId);
    const stores = (await Promise.all(ids.map((id) => this.deps.store.getStore(id)))).filter(
      (s) => s !== null,
    );
    return {
      ticket: {
        id: trip.id,
        run_id: trip.runId,
        train_number: trip.trainNumber,
        wagon_number: trip.wagonNumber,
        place_number: trip.placeNumber,
      },
      stores: stores.map((s) => ({
        id: s.id,
        name: s.name,
        items: (s.items ?? []).map((i) => ({
          id: i.id,
          name: i.name,
          price_penny: i.price_penny,
          available: Math.max(0, i.balance),
        })),
      })),
    };
  }

  async order(userId: string, body: OrderRequest, idempotencyKey: string): Promise<OrderDto> {
    const trips = await this.deps.repository.tripsInProgress(userId, this.now());
    const trip = trips.find((t) => t.id === body.ticket_id);
    if (!trip) throw new HttpError(409, NO_TRIP);
    const ids = await this.deps.repository.storeIds(trip.runId);
    if (!ids.includes(body.store_id)) throw new HttpError(404, "Store not found on this train");
    const store = await this.deps.store.getStore(body.store_id);
    if (!store) throw new HttpError(404, "Store not found on this train");
    const purchase = await this.deps.store.purchase(
      body.store_id,
      {
        user_id: userId,
        items: body.items,
        train_number: trip.trainNumber,
        additional_data: {
          ticket_id: trip.id,
          run_id: trip.runId,
          wagon_number: trip.wagonNumber,
          place_number: trip.placeNumber,
          // Shown on the store terminal's order card with the seat.
          passenger_name: trip.passengerName,
        },
      },
      // Scoped to the passenger, so one passenger's key can never replay another's order.
      `web:${userId}:${idempotencyKey}`,
    );
    return {
      id: purchase.id,
      store_id: purchase.store_id,
      store_name: store.name,
      date: purchase.date,
      total_penny: purchase.total_penny,
      status: "pending",
      items: purchase.items,
    };
  }
}
