import {
  ApiRouter,
  EMPTY_RESPONSE,
  emptyResponseSchema,
  pageQuerySchema,
  pageSchema,
  type AuthGuard,
} from "@rail/common";
import { z } from "zod";
import type { PassengerPrincipal } from "../keycloak/keycloak.guard.js";
import { passengerTicketSchema as ticketWithRunSchema } from "../timetable/ticket-view.js";
import { legacyFaceSchema, meSchema, orderPageSchema, ticketPurchaseSchema } from "./passenger.schemas.js";
import type { PassengerService } from "./passenger.service.js";
import { facePhotoUpload } from "./passenger.upload.js";

const TAGS = ["passenger"];
/**
 * A passenger's ticket: the robot wire shape, its run (stations, local times, status) and its signed QR code
 * (`RT1:…`, see ticket-signing).
 */
const passengerTicketSchema = ticketWithRunSchema.extend({
  signed_code: z
    .string()
    .nullable()
    .meta({ description: "Signed QR code text (robots verify it offline); show it as the ticket's QR code" }),
});
const AUTH_ERRORS = { 401: "Missing, expired, tampered or wrong-audience token", 403: "No passenger role" };

/**
 * The passenger API under `/frontend` (reference 3.4 and the dev branch's Appendix A), for the web site.
 * Callers present a Keycloak access token (`auth`, built in app.ts); the first valid token provisions the
 * passenger's base user.
 */
export function passengerRoutes(service: PassengerService, auth: AuthGuard<PassengerPrincipal>): ApiRouter {
  const frontend = new ApiRouter()
    .route({
      method: "get",
      path: "/me",
      summary: "The signed-in passenger's base user",
      tags: TAGS,
      auth,
      response: meSchema,
      errors: AUTH_ERRORS,
      handler: async ({ auth }) => ({
        id: auth.userId,
        username: auth.claims.username ?? null,
        name: auth.claims.name ?? null,
        email: auth.claims.email ?? null,
      }),
    })
    .route({
      method: "get",
      path: "/tickets",
      summary: "The passenger's tickets, latest departure first (codes and signed QR codes included)",
      tags: TAGS,
      auth,
      query: pageQuerySchema,
      response: pageSchema(passengerTicketSchema),
      errors: AUTH_ERRORS,
      handler: ({ auth, query }) => service.listTickets(auth.userId, query),
    })
    .route({
      method: "get",
      path: "/tickets/current",
      summary: "The ticket of the passenger's trip in progress (boarded or not), else of the next trip",
      description:
        "For the web shop: the run of this ticket is the train whose stores the passenger can order from.",
      tags: TAGS,
      auth,
      response: passengerTicketSchema,
      errors: { ...AUTH_ERRORS, 404: "Ticket not found" },
      handler: ({ auth }) => service.currentTicket(auth.userId),
    })
    .route({
      method: "get",
      path: "/get_ticket",
      summary: "The passenger's ticket with the latest departure",
      tags: TAGS,
      auth,
      response: passengerTicketSchema,
      errors: { ...AUTH_ERRORS, 404: "Ticket not found" },
      handler: ({ auth }) => service.latestTicket(auth.userId),
    })
    .route({
      method: "post",
      path: "/tickets",
      summary: "Buy a seat of a run at once (or hold it first: POST /frontend/holds)",
      description:
        "Name the run by `run_id` (GET /timetable/runs), or by the departure `date` from `station_id`, which must " +
        "be exactly a run's. Each seat of a run is sold once, also under concurrent purchases; a seat under " +
        "another passenger's hold is refused until the hold expires.",
      tags: TAGS,
      auth,
      body: ticketPurchaseSchema,
      response: passengerTicketSchema,
      errors: {
        ...AUTH_ERRORS,
        400: "Station and destination must differ | The train has already left the station",
        409: "Ticket already exists | Seat is held by another passenger",
        422: "No such run, wagon or place, or the train does not go from station_id to destination_id",
      },
      handler: ({ auth, body }) => service.buyTicket(auth.userId, body),
    })
    .route({
      method: "get",
      path: "/faces",
      summary: "Whether the passenger has enrolled a face",
      tags: TAGS,
      auth,
      response: emptyResponseSchema,
      errors: { ...AUTH_ERRORS, 404: "Face not found", 503: "Face service unavailable" },
      handler: ({ auth }) => service.faceStatus(auth.userId),
    })
    .route({
      method: "post",
      path: "/faces",
      summary: "Enrol a face photo (multipart field `file`); without a file the face is deleted",
      tags: TAGS,
      auth,
      bodyContentType: "multipart/form-data",
      middleware: [facePhotoUpload],
      response: emptyResponseSchema,
      errors: {
        ...AUTH_ERRORS,
        400: "No faces | Too many faces | Image too small | Image too big | Invalid image",
        409: "Face already exists",
        413: "Photo too large",
        415: "Not multipart",
        503: "Face service unavailable",
      },
      handler: ({ auth, req }) =>
        req.file ? service.enrolFace(auth.userId, req.file.buffer) : service.deleteFace(auth.userId),
    })
    .route({
      method: "post",
      path: "/face",
      summary: "Enrol a base64 face photo, or delete the face with null (the reference's JSON variant)",
      tags: TAGS,
      auth,
      body: legacyFaceSchema,
      response: emptyResponseSchema,
      errors: {
        ...AUTH_ERRORS,
        400: "No faces | Too many faces | Image too small | Image too big",
        409: "Face already exists",
        503: "Face service unavailable",
      },
      handler: ({ auth, body }) =>
        body.face ? service.enrolFace(auth.userId, body.face) : service.deleteFace(auth.userId),
    })
    .route({
      method: "delete",
      path: "/faces",
      summary: "Delete the passenger's face data",
      tags: TAGS,
      auth,
      response: emptyResponseSchema,
      errors: { ...AUTH_ERRORS, 503: "Face service unavailable" },
      handler: async ({ auth }) => {
        await service.deleteFace(auth.userId);
        return EMPTY_RESPONSE;
      },
    })
    .route({
      method: "get",
      path: "/orders",
      summary: "The passenger's purchases in train stores, newest first",
      tags: TAGS,
      auth,
      query: pageQuerySchema,
      response: orderPageSchema,
      errors: { ...AUTH_ERRORS, 503: "Store service unavailable" },
      handler: ({ auth, query }) => service.orders(auth.userId, query),
    });
  // app.ts merges feature routers at the API root, so this one carries its own prefix.
  return new ApiRouter().use("/frontend", frontend);
}
