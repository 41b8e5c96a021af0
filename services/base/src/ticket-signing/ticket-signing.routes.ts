import { ApiRouter, pageQuerySchema, pageSchema } from "@rail/common";
import type { Guards } from "../shared/guards.js";
import {
  offlinePackSchema,
  rotationSchema,
  runQuerySchema,
  signedCodeSchema,
  ticketIdParamsSchema,
  ticketKeySetSchema,
  ticketUseConflictSchema,
  ticketUsesBodySchema,
  ticketUsesResponseSchema,
} from "./ticket-signing.schemas.js";
import type { TicketSigningService } from "./ticket-signing.service.js";

export function ticketSigningRoutes(signing: TicketSigningService, guards: Guards): ApiRouter {
  const { admin, robot } = guards;
  const api = new ApiRouter();

  api.route({
    method: "get",
    path: "/robot/ticket_keys",
    summary:
      "Public keys of signed ticket codes (JWKS-style): the current key and retired keys with live codes",
    tags: ["robot"],
    auth: robot,
    response: ticketKeySetSchema,
    handler: () => signing.keySet(),
  });

  api.route({
    method: "get",
    path: "/robot/ticket_offline_pack",
    summary:
      "Everything to check a run's tickets offline: keys, deny list (refunded/cancelled) and used tickets",
    tags: ["robot"],
    auth: robot,
    query: runQuerySchema,
    response: offlinePackSchema,
    errors: { 404: "Run not found", 422: "Name the run: run_id, or train_number and start_date" },
    handler: ({ query }) =>
      signing.offlinePack(
        query.run_id !== undefined
          ? { runId: query.run_id }
          : { trainNumber: query.train_number!, runStart: query.start_date! },
      ),
  });

  api.route({
    method: "post",
    path: "/robot/ticket_uses",
    summary:
      "Upload ticket uses made offline (idempotent per use_id); a second use of a ticket is a conflict",
    description:
      "Each use is authenticated by its signed code and recorded once per use_id: the first use of a ticket marks " +
      "it used (an online validation afterwards answers `Ticket already used`); a later use of the same ticket — " +
      "online or at another door — is stored as a conflict, listed at GET /admin/ticket_use_conflicts and counted " +
      "in the `ticket_use_conflicts_total` metric. Results come in the order of `uses`.",
    tags: ["robot"],
    auth: robot,
    body: ticketUsesBodySchema,
    response: ticketUsesResponseSchema,
    handler: async ({ body, auth }) => ({ results: await signing.uploadUses(auth.subject, body.uses) }),
  });

  api.route({
    method: "get",
    path: "/admin/ticket_keys",
    summary: "Ticket signing keys as robots see them",
    tags: ["admin: tickets"],
    auth: admin,
    response: ticketKeySetSchema,
    handler: () => signing.keySet(),
  });

  api.route({
    method: "post",
    path: "/admin/ticket_keys/rotate",
    summary: "Rotate the ticket signing key; codes signed by the old key stay valid until their own expiry",
    tags: ["admin: tickets"],
    auth: admin,
    response: rotationSchema,
    errors: { 409: "Another key rotation is in progress, try again" },
    handler: () => signing.rotate(),
  });

  api.route({
    method: "get",
    path: "/admin/ticket/:ticket_id/signed_code",
    summary: "A ticket's signed QR code (freshly signed with the current key)",
    tags: ["admin: tickets"],
    auth: admin,
    params: ticketIdParamsSchema,
    response: signedCodeSchema,
    errors: { 404: "Ticket not found" },
    handler: ({ params }) => signing.signedCodeFor(params.ticket_id),
  });

  api.route({
    method: "get",
    path: "/admin/ticket_use_conflicts",
    summary: "Tickets used twice offline (two doors, two robots): the later uses, newest first",
    tags: ["admin: tickets"],
    auth: admin,
    query: pageQuerySchema,
    response: pageSchema(ticketUseConflictSchema),
    handler: ({ query }) => signing.listConflicts(query),
  });

  return api;
}
