import { z } from "zod";
import { ApiRouter, EMPTY_RESPONSE, emptyResponseSchema, type AuthGuard } from "@rail/common";
import type { PassengerPrincipal } from "../keycloak/keycloak.guard.js";
import { passengerTicketSchema, type TicketView } from "../timetable/ticket-view.js";
import { holdParamsSchema, holdSchema, seatRequestSchema } from "./holds.schemas.js";
import type { HoldsService } from "./holds.service.js";

const TAGS = ["passenger"];
const AUTH_ERRORS = { 401: "Missing, expired, tampered or wrong-audience token", 403: "No passenger role" };

/** Seat holds of the signed-in passenger under `/frontend` (Keycloak token). */
export function holdRoutes(
  holds: HoldsService,
  view: TicketView,
  auth: AuthGuard<PassengerPrincipal>,
): ApiRouter {
  return new ApiRouter()
    .route({
      method: "post",
      path: "/frontend/holds",
      summary: "Hold a seat of a run for a few minutes (others cannot take it meanwhile)",
      description:
        "Holding a seat you already hold extends the hold. A hold that has expired no longer counts: anyone " +
        "may hold or buy the seat. Confirm the hold to get the ticket.",
      tags: TAGS,
      auth,
      body: seatRequestSchema,
      response: holdSchema,
      status: 201,
      errors: {
        ...AUTH_ERRORS,
        400: "The train has already left the boarding station",
        404: "Run not found",
        409: "Seat already taken | Seat is held by another passenger",
        422: "No such wagon or place, or the train does not go from station_id to destination_id",
        429: "The passenger already holds HOLD_MAX_PER_PASSENGER (10) seats",
      },
      handler: ({ auth, body }) => holds.hold(auth.userId, body),
    })
    .route({
      method: "get",
      path: "/frontend/holds",
      summary: "The passenger's holds that have not expired",
      tags: TAGS,
      auth,
      response: z.array(holdSchema),
      errors: AUTH_ERRORS,
      handler: ({ auth }) => holds.listHolds(auth.userId),
    })
    .route({
      method: "post",
      path: "/frontend/holds/:hold_id/confirm",
      summary: "Turn the passenger's hold into a ticket (the answer carries the ticket's code)",
      tags: TAGS,
      auth,
      params: holdParamsSchema,
      response: passengerTicketSchema,
      errors: {
        ...AUTH_ERRORS,
        400: "The train has already left the boarding station",
        404: "Hold not found",
        409: "Seat already taken",
        410: "Hold expired",
      },
      handler: async ({ auth, params }) =>
        view.presentOne(await holds.confirm(auth.userId, params.hold_id), { withCode: true }),
    })
    .route({
      method: "delete",
      path: "/frontend/holds/:hold_id",
      summary: "Release a hold (idempotent)",
      tags: TAGS,
      auth,
      params: holdParamsSchema,
      response: emptyResponseSchema,
      errors: AUTH_ERRORS,
      handler: async ({ auth, params }) => {
        await holds.release(auth.userId, params.hold_id);
        return EMPTY_RESPONSE;
      },
    });
}
