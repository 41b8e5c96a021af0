import { z } from "zod";
import { ApiRouter, parseRequestPart, type AuthGuard } from "@rail/common";
import type { PassengerPrincipal } from "../keycloak/keycloak.guard.js";
import { idempotencyKeySchema, orderRequestSchema, orderSchema, shopSchema } from "./trip-shop.schemas.js";
import type { TripShopService } from "./trip-shop.service.js";

const TAGS = ["passenger"];
const AUTH_ERRORS = { 401: "Missing, expired, tampered or wrong-audience token", 403: "No passenger role" };
const headersSchema = z.object({ "Idempotency-Key": idempotencyKeySchema });

/** The train's shop for a passenger on board (web site), under `/frontend`. */
export function tripShopRoutes(service: TripShopService, auth: AuthGuard<PassengerPrincipal>): ApiRouter {
  return new ApiRouter()
    .route({
      method: "get",
      path: "/frontend/shop",
      summary: "The stores of the train the passenger is on now, with items, prices and stock",
      tags: TAGS,
      auth,
      response: shopSchema,
      errors: { ...AUTH_ERRORS, 404: "No trip in progress", 503: "Store service unavailable" },
      handler: ({ auth }) => service.shop(auth.userId),
    })
    .route({
      method: "post",
      path: "/frontend/orders",
      summary: "Order from the train's shop for delivery to the passenger's seat",
      description:
        "Requires an `Idempotency-Key` header (8-200 printable characters): repeating a request with the same " +
        "key returns the first order instead of buying again (a double tap, a retry after a lost answer).",
      tags: TAGS,
      auth,
      body: orderRequestSchema,
      response: orderSchema,
      status: 201,
      errors: {
        ...AUTH_ERRORS,
        400: "Not enough items",
        404: "Store not found on this train | Some items not found",
        409: "No trip in progress",
        422: "Validation error | Idempotency-Key missing or reused with a different order",
        503: "Store service unavailable",
      },
      handler: ({ auth, body, req }) => {
        const headers = parseRequestPart(
          headersSchema,
          { "Idempotency-Key": req.header("Idempotency-Key") },
          "header",
        );
        return service.order(auth.userId, body, headers["Idempotency-Key"]);
      },
    });
}
