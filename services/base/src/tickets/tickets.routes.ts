import { ApiRouter, EMPTY_RESPONSE, emptyResponseSchema, pageSchema } from "@rail/common";
import type { Guards } from "../shared/guards.js";
import {
  adminTicketsQuerySchema,
  currentTicketSchema,
  destinationSchema,
  determineDestinationSchema,
  stationUserParamsSchema,
  ticketCreationSchema,
  ticketIdParamsSchema,
  ticketSchema,
  ticketSummarySchema,
  ticketValidationSchema,
} from "./tickets.schemas.js";
import type { TicketsService } from "./tickets.service.js";

/** Admin ticket management and the robot's ticket checks (reference 3.2.2-3.2.5). */
export function ticketRoutes(tickets: TicketsService, { admin, robot }: Guards): ApiRouter {
  const api = new ApiRouter();

  api.route({
    method: "post",
    path: "/admin/ticket",
    summary: "Create a ticket; the answer carries its secret code (to be printed)",
    tags: ["admin: tickets"],
    auth: admin,
    body: ticketCreationSchema,
    response: ticketSchema,
    errors: { 404: "User not found", 409: "Ticket already exists (seat taken)" },
    handler: ({ body }) => tickets.buy(body.user_id, body),
  });

  api.route({
    method: "get",
    path: "/admin/tickets",
    summary: "List tickets (without their codes), latest departure first; by passenger, run or train",
    tags: ["admin: tickets"],
    auth: admin,
    query: adminTicketsQuerySchema,
    response: pageSchema(ticketSummarySchema),
    handler: ({ query }) => tickets.list(query),
  });

  api.route({
    method: "delete",
    path: "/admin/ticket/:ticket_id",
    summary: "Delete a ticket (idempotent)",
    tags: ["admin: tickets"],
    auth: admin,
    params: ticketIdParamsSchema,
    response: emptyResponseSchema,
    handler: async ({ params }) => {
      await tickets.delete(params.ticket_id);
      return EMPTY_RESPONSE;
    },
  });

  api.route({
    method: "post",
    path: "/robot/ticket_validation",
    summary: "Validate (and with mark_as_used board) a ticket by face or QR code; a ticket validates once",
    tags: ["robot"],
    auth: robot,
    body: ticketValidationSchema,
    response: ticketSchema,
    errors: {
      400: "Wrong wagon/date/train or already used: {message, right_ticket}; or no active tickets",
      401: "Invalid ticket code",
      404: "Face not found",
      422: "Neither face nor code, or the face cannot be recognised",
      503: "Face service unavailable",
    },
    handler: ({ body }) => tickets.validate(body),
  });

  api.route({
    method: "post",
    path: "/robot/user/current_ticket",
    summary: "The ticket a passenger boarded a train run with (code withheld)",
    tags: ["robot"],
    auth: robot,
    body: currentTicketSchema,
    response: ticketSchema,
    errors: { 404: "Ticket not found" },
    handler: ({ body }) => tickets.current(body.user_id, body.train_id, body.start_date),
  });

  api.route({
    method: "get",
    path: "/robot/station/:station_id/user/:user_id/current_ticket",
    summary:
      "The passenger's next unused ticket from a station (departed up to 12 h ago included; code withheld)",
    tags: ["robot"],
    auth: robot,
    params: stationUserParamsSchema,
    response: ticketSchema,
    errors: { 404: "Ticket not found" },
    handler: ({ params }) => tickets.currentAtStation(params.station_id, params.user_id),
  });

  api.route({
    method: "post",
    path: "/robot/determine_destination",
    summary: "Destination of the passenger's boarded ticket on a train run",
    tags: ["robot"],
    auth: robot,
    body: determineDestinationSchema,
    response: destinationSchema,
    errors: { 400: "Ticket not found (no boarded ticket: the robot client reads 400 as no destination)" },
    handler: ({ body }) => tickets.determineDestination(body.user_id, body.train_number, body.start_date),
  });

  return api;
}
