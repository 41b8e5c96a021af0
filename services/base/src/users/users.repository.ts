import { batchedLookup } from "@rail/common/prisma";
import type { Db } from "../db.js";

export interface UserRow {
  id: string;
  name: string;
}

/** Passengers in Postgres; the only code of this feature that touches Prisma. */
export class UsersRepository {
  // A robot looks up every passenger it recognises: a prepared statement on the pool, not Prisma (src/db.ts).
  private readonly byId;

  constructor(private readonly db: Db) {
    this.byId = batchedLookup<UserRow, string>(
      db.$pg,
      "users_by_ids",
      "SELECT id, name FROM users WHERE id = ANY($1::uuid[])",
      "id",
      (id) => id.toLowerCase(),
    );
  }

  async findById(id: string): Promise<UserRow | null> {
    return this.byId(id);
  }

  /**
   * Creates a user unless one has that name (the reference's admin rule); null when the name is taken. Names are
   * not unique in general (passengers from Keycloak may share one), so the check is serialised per name with a
   * transaction lock.
   */
  createIfNameFree(name: string): Promise<UserRow | null> {
    return this.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('users.name'), hashtext(${name}))`;
      if (await tx.user.findFirst({ where: { name }, select: { id: true } })) return null;
      return tx.user.create({ data: { name } });
    });
  }

  /** `name`: only users whose name contains it, any case (the engineer console's search). */
  count(name?: string): Promise<number> {
    return this.db.user.count({ where: byName(name) });
  }

  list(window: { skip: number; take: number }, name?: string): Promise<UserRow[]> {
    return this.db.user.findMany({
      where: byName(name),
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      ...window,
    });
  }

  /** Deletes the user; tickets and Keycloak links go with it (ON DELETE CASCADE). False when absent. */
  async delete(id: string): Promise<boolean> {
    const { count } = await this.db.user.deleteMany({ where: { id } });
    return count === 1;
  }
}

const byName = (name?: string) => (name ? { name: { contains: name, mode: "insensitive" as const } } : {});
