import bcrypt from "bcryptjs";
import type { Logger } from "pino";
import {
  ALL_PRIVILEGES,
  Privilege,
  conflict,
  forbidden,
  hasPrivileges,
  notFound,
  paginate,
  type Page,
  type PageQuery,
  type SessionStore,
} from "@rail/common";
import type { Db } from "../db.js";
import { EngineersRepository, type AdminChange, type EngineerRow } from "./engineers.repository.js";
import {
  privilegeMask,
  type AuthCardDto,
  type EngineerDto,
  type PrivilegeName,
} from "./engineers.schemas.js";
import type { LoginAttempts } from "./login-attempts.js";

export const LAST_ADMIN_DETAIL = "The last engineer with the ADMIN privilege cannot be deleted or lose it";

function assertAdminKept(outcome: AdminChange): void {
  if (outcome === "not_found") throw notFound("Engineer not found");
  if (outcome === "last_admin") throw conflict(LAST_ADMIN_DETAIL);
}

const toDto = (e: { id: string; login: string }): EngineerDto => ({ login: e.login, id: e.id });

// Compared against when the login is unknown, so both paths cost one bcrypt check at the configured cost
// (no login enumeration by timing). One per cost, made on first use.
const dummyHashes = new Map<number, Promise<string>>();
const dummyHash = (cost: number) => {
  let hash = dummyHashes.get(cost);
  if (!hash) dummyHashes.set(cost, (hash = bcrypt.hash("not-a-real-password", cost)));
  return hash;
};

export const hashPassword = (password: string, cost: number) => bcrypt.hash(password, cost);

/** Engineer credentials typed into a robot or terminal during enrolment (the auth feature uses this). */
export interface EngineerCredentialCheck {
  requireEngineer(
    credentials: { login: string; password: string; ip: string },
    required: number,
  ): Promise<EngineerRow>;
}

/** Engineers: login, administration, RFID cards. */
/** "****" and the last 4 characters (fewer for short keys), never the whole key. */
export const maskKey = (key: string) =>
  `****${key.length > 8 ? key.slice(-4) : key.slice(-Math.floor(key.length / 2))}`;

export class EngineersService implements EngineerCredentialCheck {
  constructor(
    private readonly engineers: EngineersRepository,
    private readonly sessions: SessionStore,
    private readonly attempts: LoginAttempts,
    private readonly bcryptCost: number,
  ) {}

  /**
   * Checks an engineer's password within the limits of `LoginAttempts` (per login, per client address, bcrypt
   * checks at once). Used by the engineer login and by robot/terminal enrolment, which also take engineer passwords.
   */
  private verifyCredentials(login: string, password: string, ip: string): Promise<EngineerRow> {
    return this.attempts.attempt(login, ip, async () => {
      const engineer = login.length <= 60 ? await this.engineers.findByLogin(login) : null;
      const ok = await bcrypt.compare(password, engineer?.passwordHash ?? (await dummyHash(this.bcryptCost)));
      return engineer && ok ? engineer : null;
    });
  }

  /**
   * Engineer credentials typed into a robot or terminal during enrolment (reference 3.1.1): 401 "Invalid
   * credentials" or 403 "Insufficient privileges" without the required bit (429 after repeated failures).
   */
  async requireEngineer(
    credentials: { login: string; password: string; ip: string },
    required: number,
  ): Promise<EngineerRow> {
    const engineer = await this.verifyCredentials(credentials.login, credentials.password, credentials.ip);
    if (!hasPrivileges(engineer.privileges, required)) throw forbidden();
    return engineer;
  }

  /** `POST /auth/engineer/login`: an engineer session carrying the engineer's privileges. */
  async login(login: string, password: string, ip: string): Promise<{ token: string }> {
    const engineer = await this.verifyCredentials(login, password, ip);
    const token = await this.sessions.create("engineer", engineer.id, { privileges: engineer.privileges });
    return { token };
  }

  async create(input: {
    login: string;
    password: string;
    privileges: PrivilegeName[];
  }): Promise<EngineerDto> {
    const engineer = await this.engineers.create({
      login: input.login,
      passwordHash: await hashPassword(input.password, this.bcryptCost),
      privileges: privilegeMask(input.privileges),
    });
    if (engineer === "login_taken") throw conflict("Engineer already exists");
    return toDto(engineer);
  }

  listAuthCards(page: PageQuery): Promise<Page<AuthCardDto>> {
    return paginate(
      page,
      () => this.engineers.countCards(),
      (w) => this.engineers.listCards(w),
      (c) => ({
        id: c.id,
        engineer_id: c.engineerId,
        engineer_login: c.engineer.login,
        key_masked: maskKey(c.key),
        created_at: c.createdAt.toISOString(),
      }),
    );
  }

  list(page: PageQuery): Promise<Page<EngineerDto>> {
    return paginate(
      page,
      () => this.engineers.count(),
      (w) => this.engineers.list(w),
      toDto,
    );
  }

  /** Deletes an engineer and ends its sessions; never the last ADMIN (nobody could administer any more). */
  async delete(id: string): Promise<void> {
    assertAdminKept(await this.engineers.delete(id));
    await this.sessions.revokeSubject("engineer", id);
  }

  /**
   * Replaces the privilege mask; the engineer's sessions end so the new mask applies from the next login. The last
   * ADMIN keeps its ADMIN bit.
   */
  async setPrivileges(id: string, names: PrivilegeName[]): Promise<void> {
    assertAdminKept(await this.engineers.setPrivileges(id, privilegeMask(names)));
    await this.sessions.revokeSubject("engineer", id);
  }

  /** `null`/empty key removes the engineer's card; otherwise sets it (a key belongs to one engineer only). */
  async setAuthCard(engineerId: string, key: string | null): Promise<void> {
    if (!(await this.engineers.findById(engineerId))) throw notFound("Engineer not found");
    if (!key) return this.engineers.deleteCards(engineerId);
    if ((await this.engineers.upsertCard(engineerId, key)) === "key_taken")
      throw conflict("Auth card already in use");
  }

  /** RFID check on a robot (reference 3.2.6): the card's engineer must have ROBOT_ADMIN. */
  async robotAdminAccess(key: string): Promise<EngineerDto> {
    const engineer = key ? await this.engineers.findCardOwner(key) : null;
    if (!engineer || !hasPrivileges(engineer.privileges, Privilege.ROBOT_ADMIN))
      throw forbidden("Access denied");
    return toDto(engineer);
  }
}

/**
 * Creates BOOTSTRAP_ENGINEER_LOGIN with every privilege if it does not exist (run by main.ts before serving). An
 * existing engineer of that login is never modified (its password or privileges may have been changed on
 * purpose); we only say so in the log.
 */
export async function ensureBootstrapEngineer(deps: {
  db: Db;
  config: { BOOTSTRAP_ENGINEER_LOGIN: string; BOOTSTRAP_ENGINEER_PASSWORD: string; BCRYPT_COST: number };
  logger: Logger;
}): Promise<void> {
  const engineers = new EngineersRepository(deps.db);
  const login = deps.config.BOOTSTRAP_ENGINEER_LOGIN;
  const passwordHash = await hashPassword(deps.config.BOOTSTRAP_ENGINEER_PASSWORD, deps.config.BCRYPT_COST);
  if (await engineers.createIfAbsent({ login, passwordHash, privileges: ALL_PRIVILEGES })) {
    deps.logger.info({ login }, "bootstrap engineer created");
    return;
  }
  const existing = await engineers.findByLogin(login);
  if (existing && existing.privileges !== ALL_PRIVILEGES) {
    deps.logger.warn(
      { login, privileges: existing.privileges },
      "bootstrap engineer exists with fewer privileges; left unchanged",
    );
  } else {
    deps.logger.info({ login }, "bootstrap engineer exists; left unchanged");
  }
}
