import { createHash } from "node:crypto";
import bcrypt from "bcryptjs";
import {
  ALL_PRIVILEGES,
  HttpError,
  Privilege,
  conflict,
  forbidden,
  hasPrivileges,
  notFound,
  paginate,
  unauthorized,
} from "@rail/common";
import type { PageQuery } from "@rail/common";
import type { Deps } from "../app.js";
import { isUniqueViolation } from "../shared/db-errors.js";
import { engineerRepository } from "./engineers.repository.js";
import { privilegeMask, type EngineerDto, type PrivilegeName } from "./engineers.schemas.js";

type EngineerRow = { id: string; login: string; passwordHash: string; privileges: number };

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

const failureKey = (login: string, ip: string) =>
  `login-failures:engineer:${createHash("sha256").update(`${login}\0${ip}`).digest("hex")}`;

/**
 * Checks an engineer's password. Attempts are counted per (login, client address) in Redis before the check (one
 * atomic INCR, so parallel guesses cannot slip past the limit); a success clears the count. Past LOGIN_MAX_FAILURES
 * within LOGIN_WINDOW_SECONDS every attempt is 429 until the window ends. Used by the engineer login and by
 * robot/terminal enrolment, which also take engineer passwords.
 */
async function verifyCredentials(
  deps: Deps,
  login: string,
  password: string,
  ip: string,
): Promise<EngineerRow> {
  const key = failureKey(login, ip);
  const [[, attempts] = []] =
    (await deps.redis.multi().incr(key).expire(key, deps.config.LOGIN_WINDOW_SECONDS, "NX").exec()) ?? [];
  if (Number(attempts) > deps.config.LOGIN_MAX_FAILURES) {
    throw new HttpError(429, "Too many failed login attempts, try again later", {
      "Retry-After": String(Math.max(1, await deps.redis.ttl(key))),
    });
  }
  const engineer = login.length <= 60 ? await engineerRepository.findByLogin(deps.db, login) : null;
  const ok = await bcrypt.compare(
    password,
    engineer?.passwordHash ?? (await dummyHash(deps.config.BCRYPT_COST)),
  );
  if (!engineer || !ok) throw unauthorized();
  await deps.redis.del(key);
  return engineer;
}

/**
 * Engineer credentials typed into a robot or terminal during enrolment (reference 3.1.1): 401 "Invalid credentials"
 * or 403 "Insufficient privileges" without the required bit (429 after repeated failures).
 */
export async function requireEngineer(
  deps: Deps,
  credentials: { login: string; password: string; ip: string },
  required: number,
): Promise<EngineerRow> {
  const engineer = await verifyCredentials(deps, credentials.login, credentials.password, credentials.ip);
  if (!hasPrivileges(engineer.privileges, required)) throw forbidden();
  return engineer;
}

/** `POST /auth/engineer/login`: an engineer session carrying the engineer's privileges. */
export async function loginEngineer(
  deps: Deps,
  login: string,
  password: string,
  ip: string,
): Promise<{ token: string }> {
  const engineer = await verifyCredentials(deps, login, password, ip);
  const token = await deps.sessions.create("engineer", engineer.id, { privileges: engineer.privileges });
  return { token };
}

/**
 * Creates BOOTSTRAP_ENGINEER_LOGIN with every privilege if it does not exist. An existing engineer of that login is
 * never modified (its password or privileges may have been changed on purpose); we only say so in the log.
 */
export async function ensureBootstrapEngineer(deps: Pick<Deps, "db" | "config" | "logger">): Promise<void> {
  const login = deps.config.BOOTSTRAP_ENGINEER_LOGIN;
  const passwordHash = await hashPassword(deps.config.BOOTSTRAP_ENGINEER_PASSWORD, deps.config.BCRYPT_COST);
  const created = await engineerRepository.createIfAbsent(deps.db, {
    login,
    passwordHash,
    privileges: ALL_PRIVILEGES,
  });
  if (created) {
    deps.logger.info({ login }, "bootstrap engineer created");
    return;
  }
  const existing = await engineerRepository.findByLogin(deps.db, login);
  if (existing && existing.privileges !== ALL_PRIVILEGES) {
    deps.logger.warn(
      { login, privileges: existing.privileges },
      "bootstrap engineer exists with fewer privileges; left unchanged",
    );
  } else {
    deps.logger.info({ login }, "bootstrap engineer exists; left unchanged");
  }
}

export async function createEngineer(
  deps: Deps,
  input: { login: string; password: string; privileges: PrivilegeName[] },
) {
  const passwordHash = await hashPassword(input.password, deps.config.BCRYPT_COST);
  try {
    const engineer = await engineerRepository.create(deps.db, {
      login: input.login,
      passwordHash,
      privileges: privilegeMask(input.privileges),
    });
    return toDto(engineer);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("Engineer already exists");
    throw err;
  }
}

export const listEngineers = (deps: Deps, page: PageQuery) =>
  paginate(
    page,
    () => engineerRepository.count(deps.db),
    (w) => engineerRepository.list(deps.db, w),
    toDto,
  );

export async function deleteEngineer(deps: Deps, id: string): Promise<void> {
  if (!(await engineerRepository.delete(deps.db, id))) throw notFound("Engineer not found");
  await deps.sessions.revokeSubject("engineer", id);
}

/** Replaces the privilege mask; the engineer's sessions end so the new mask applies from the next login. */
export async function setPrivileges(deps: Deps, id: string, names: PrivilegeName[]): Promise<void> {
  if (!(await engineerRepository.setPrivileges(deps.db, id, privilegeMask(names))))
    throw notFound("Engineer not found");
  await deps.sessions.revokeSubject("engineer", id);
}

/** `null`/empty key removes the engineer's card; otherwise sets it (a key belongs to one engineer only). */
export async function setAuthCard(deps: Deps, engineerId: string, key: string | null): Promise<void> {
  if (!(await engineerRepository.findById(deps.db, engineerId))) throw notFound("Engineer not found");
  if (!key) {
    await engineerRepository.deleteCards(deps.db, engineerId);
    return;
  }
  try {
    await engineerRepository.upsertCard(deps.db, engineerId, key);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("Auth card already in use");
    throw err;
  }
}

/** RFID check on a robot (reference 3.2.6): the card's engineer must have ROBOT_ADMIN. */
export async function robotAdminAccess(deps: Deps, key: string): Promise<EngineerDto> {
  const card = key ? await engineerRepository.findCardByKey(deps.db, key) : null;
  if (!card || !hasPrivileges(card.engineer.privileges, Privilege.ROBOT_ADMIN))
    throw forbidden("Access denied");
  return toDto(card.engineer);
}
