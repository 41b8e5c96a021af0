import { Privilege, isUniqueViolation } from "@rail/common";
import type { Db } from "../db.js";
import type { Prisma } from "../generated/prisma/client.js";

/** Outcome of a change that could remove the last ADMIN. */
export type AdminChange = "done" | "not_found" | "last_admin";
/** A deleted engineer holds no privilege any more. */
const ADMIN_BIT_KEPT_BY_NOBODY = 0;

export interface EngineerRow {
  id: string;
  login: string;
  passwordHash: string;
  privileges: number;
}

export interface NewEngineer {
  login: string;
  passwordHash: string;
  privileges: number;
}

/** Engineers and their RFID cards; the only code of this feature that touches Prisma. */
export class EngineersRepository {
  constructor(private readonly db: Db) {}

  findByLogin(login: string): Promise<EngineerRow | null> {
    return this.db.engineer.findUnique({ where: { login } });
  }

  findById(id: string): Promise<EngineerRow | null> {
    return this.db.engineer.findUnique({ where: { id } });
  }

  /** "login_taken" when the login's unique index refuses the row. */
  async create(data: NewEngineer): Promise<EngineerRow | "login_taken"> {
    try {
      return await this.db.engineer.create({ data });
    } catch (err) {
      if (isUniqueViolation(err)) return "login_taken";
      throw err;
    }
  }

  /** Inserts unless the login exists; returns whether a row was created (existing rows are left untouched). */
  async createIfAbsent(data: NewEngineer): Promise<boolean> {
    const inserted = await this.db.$executeRaw`
      INSERT INTO engineers (login, password_hash, privileges)
      VALUES (${data.login}, ${data.passwordHash}, ${data.privileges})
      ON CONFLICT (login) DO NOTHING`;
    return inserted === 1;
  }

  count(): Promise<number> {
    return this.db.engineer.count();
  }

  list(window: { skip: number; take: number }): Promise<EngineerRow[]> {
    return this.db.engineer.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }], ...window });
  }

  /**
   * Deletes the engineer (its card goes with it: ON DELETE CASCADE) unless it is the last engineer with the ADMIN
   * bit. See `keepingAnAdmin` for why concurrent requests cannot both pass.
   */
  delete(id: string): Promise<AdminChange> {
    return this.keepingAnAdmin(id, ADMIN_BIT_KEPT_BY_NOBODY, async (tx) => {
      await tx.engineer.delete({ where: { id } });
    });
  }

  /** Replaces the privilege mask unless that takes the ADMIN bit from the last engineer holding it. */
  setPrivileges(id: string, privileges: number): Promise<AdminChange> {
    return this.keepingAnAdmin(id, privileges, async (tx) => {
      await tx.engineer.update({ where: { id }, data: { privileges } });
    });
  }

  /**
   * Runs `change` on engineer `id` (which ends up with mask `after`) only if at least one ADMIN remains. Every
   * ADMIN row is locked first (FOR UPDATE, in id order), so two requests removing the last two admins at once
   * queue: the second sees the first's result and is refused.
   */
  private keepingAnAdmin(
    id: string,
    after: number,
    change: (tx: Prisma.TransactionClient) => Promise<void>,
  ): Promise<AdminChange> {
    return this.db.$transaction(async (tx) => {
      const admins = await tx.$queryRaw<{ id: string }[]>`
        SELECT id::text AS id FROM engineers WHERE privileges & ${Privilege.ADMIN} <> 0 ORDER BY id FOR UPDATE`;
      const target = await tx.$queryRaw<{ privileges: number }[]>`
        SELECT privileges FROM engineers WHERE id = ${id}::uuid FOR UPDATE`;
      if (target.length === 0) return "not_found";
      const losesAdmin = admins.some((a) => a.id === id) && (after & Privilege.ADMIN) === 0;
      if (losesAdmin && admins.length <= 1) return "last_admin";
      await change(tx);
      return "done";
    });
  }

  /** The card's engineer, or null for an unknown card. */
  async findCardOwner(key: string): Promise<EngineerRow | null> {
    const card = await this.db.authCard.findUnique({ where: { key }, include: { engineer: true } });
    return card?.engineer ?? null;
  }

  /** Sets the engineer's card; "key_taken" when another engineer holds that key (unique index). */
  async upsertCard(engineerId: string, key: string): Promise<"saved" | "key_taken"> {
    try {
      await this.db.authCard.upsert({ where: { engineerId }, create: { engineerId, key }, update: { key } });
      return "saved";
    } catch (err) {
      if (isUniqueViolation(err)) return "key_taken";
      throw err;
    }
  }

  countCards(): Promise<number> {
    return this.db.authCard.count();
  }

  listCards(window: { skip: number; take: number }) {
    return this.db.authCard.findMany({
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      include: { engineer: { select: { login: true } } },
      ...window,
    });
  }

  async deleteCards(engineerId: string): Promise<void> {
    await this.db.authCard.deleteMany({ where: { engineerId } });
  }
}
