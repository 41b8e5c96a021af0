import { Counter, type Registry } from "prom-client";

export interface TicketSigningMetrics {
  /** Offline uses of an already used ticket (two doors, two robots): each one is also stored for engineers. */
  useConflicts: Counter;
}

export function createTicketSigningMetrics(registry: Registry): TicketSigningMetrics {
  return {
    useConflicts: new Counter({
      name: "ticket_use_conflicts_total",
      help: "Uploaded offline ticket uses refused because the ticket had already been used (see GET /admin/ticket_use_conflicts)",
      registers: [registry],
    }),
  };
}
