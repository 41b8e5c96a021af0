import {
  ApiRouter,
  EMPTY_RESPONSE,
  emptyResponseSchema,
  extractToken,
  pageSchema,
  secretsEqual,
  unauthorized,
  type AuthGuard,
} from "@rail/common";
import type { Guards } from "../shared/guards.js";
import type { AuditService } from "./audit.service.js";
import { auditEntrySchema, auditQuerySchema, auditReportSchema } from "./audit.schemas.js";

/** Only the internal service token (not an engineer): engineers must not be able to write entries themselves. */
export const serviceTokenGuard = (serviceToken: string): AuthGuard<{ kind: "service" }> => ({
  scheme: "service",
  authenticate(req) {
    if (!secretsEqual(extractToken(req), serviceToken)) return Promise.reject(unauthorized());
    return Promise.resolve({ kind: "service" as const });
  },
});

/** Read-only for engineers on purpose: no route changes or deletes an entry (and the table refuses it). */
export function auditRoutes(
  audit: AuditService,
  guards: Pick<Guards, "admin">,
  serviceToken: string,
): ApiRouter {
  return new ApiRouter()
    .route({
      method: "get",
      path: "/admin/audit",
      summary:
        "The admin audit log, newest first (filters: actor login/id or 'service', entity, action, from, to)",
      tags: ["admin: audit"],
      auth: guards.admin,
      query: auditQuerySchema,
      response: pageSchema(auditEntrySchema),
      handler: ({ query }) => audit.list(query),
    })
    .route({
      method: "post",
      path: "/internal/audit",
      summary:
        "Record an admin action another service performed (service token only; append-only; idempotent per source_id)",
      tags: ["internal"],
      auth: serviceTokenGuard(serviceToken),
      body: auditReportSchema,
      response: emptyResponseSchema,
      status: 201,
      handler: async ({ body }) => {
        await audit.record(
          {
            actorKind: body.actor_kind,
            actorId: body.actor_id,
            action: `${body.service}: ${body.action}`,
            method: body.method,
            entity: body.entity,
            entityId: body.entity_id,
            status: body.status,
            requestId: body.request_id,
            request: body.request ?? null,
            before: body.before ?? null,
            after: body.after ?? null,
          },
          body.source_id
            ? { key: `${body.service}:${body.source_id}`, at: body.at ?? new Date() }
            : undefined,
        );
        return EMPTY_RESPONSE;
      },
    });
}
