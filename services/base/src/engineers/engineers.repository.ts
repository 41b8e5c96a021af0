import { isUniqueViolation } from "@rail/common";
import type { Db } from "../db.js";

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

  /** Deletes the engineer (its card goes with it: ON DELETE CASCADE). Returns whether it existed. */
  async delete(id: string): Promise<boolean> {
    const { count } = await this.db.engineer.deleteMany({ where: { id } });
    return count === 1;
  }

  async setPrivileges(id: string, privileges: number): Promise<boolean> {
    const { count } = await this.db.engineer.updateMany({ where: { id }, data: { privileges } });
    return count === 1;
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

  async deleteCards(engineerId: string): Promise<void> {
    await this.db.authCard.deleteMany({ where: { engineerId } });
  }
}
