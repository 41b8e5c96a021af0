import type { Db } from "../db.js";
import type { Prisma } from "../generated/prisma/client.js";

export type TicketRow = Prisma.TicketGetPayload<object>;

// Unused tickets first, then by departure: deterministic answers when several tickets qualify.
const NEXT_FIRST: Prisma.TicketOrderByWithRelationInput[] = [{ used: "asc" }, { date: "asc" }, { id: "asc" }];

export const ticketRepository = {
  create: (db: Db, data: Prisma.TicketUncheckedCreateInput) => db.ticket.create({ data }),

  findByCode: (db: Db, code: string) => db.ticket.findUnique({ where: { code } }),

  findById: (db: Db, id: string) => db.ticket.findUnique({ where: { id } }),

  count: (db: Db, where: Prisma.TicketWhereInput = {}) => db.ticket.count({ where }),

  list: (db: Db, where: Prisma.TicketWhereInput, window: { skip: number; take: number }) =>
    db.ticket.findMany({ where, orderBy: [{ date: "desc" }, { id: "asc" }], ...window }),

  async delete(db: Db, id: string): Promise<void> {
    await db.ticket.deleteMany({ where: { id } });
  },

  /** The first ticket (unused first, earliest departure) matching `where`. */
  findFirst: (db: Db, where: Prisma.TicketWhereInput) => db.ticket.findFirst({ where, orderBy: NEXT_FIRST }),

  /**
   * Marks the ticket used if nobody did yet. A single guarded UPDATE: of concurrent callers exactly one sees true.
   */
  async markUsed(db: Db, id: string): Promise<boolean> {
    const updated =
      await db.$executeRaw`UPDATE tickets SET used = true, used_at = now() WHERE id = ${id}::uuid AND used = false`;
    return updated === 1;
  },

  /** The latest boarded ticket of a user on a train run (reference: `used = true` and exact start instant). */
  findBoarded: (db: Db, userId: string, trainNumber: number, startDate: Date) =>
    db.ticket.findFirst({
      where: { userId, trainNumber, startDate, used: true },
      orderBy: [{ usedAt: "desc" }, { id: "asc" }],
    }),
};
