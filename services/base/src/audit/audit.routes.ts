import { ApiRouter, pageSchema } from "@rail/common";
import type { Guards } from "../shared/guards.js";
import type { AuditService } from "./audit.service.js";
import { auditEntrySchema, auditQuerySchema } from "./audit.schemas.js";

/** Read-only on purpose: there is no route that changes or deletes an entry (and the table refuses it). */
export function auditRoutes(audit: AuditService, guards: Pick<Guards, "admin">): ApiRouter {
  return new ApiRouter().route({
    method: "get",
    path: "/admin/audit",
    summary:
      "The admin audit log, newest first (filters: actor login/id or 'service', entity, action, from, to)",
    tags: ["admin: audit"],
    auth: guards.admin,
    query: auditQuerySchema,
    response: pageSchema(auditEntrySchema),
    handler: ({ query }) => audit.list(query),
  });
}
