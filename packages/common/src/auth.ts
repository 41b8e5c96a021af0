import { timingSafeEqual, createHash } from "node:crypto";
import type { Request } from "express";
import { forbidden, unauthorized } from "./errors.js";
import type { AuthGuard } from "./router.js";
import type { SessionData, SessionKind, SessionStore } from "./sessions.js";

/** Engineer privilege bits (1, 2, 4 as in the reference; 8 is new). Checks require all bits. */
export const Privilege = {
  ROBOT_LOGIN: 1,
  STORE_LOGIN: 2,
  ROBOT_ADMIN: 4,
  ADMIN: 8,
} as const;
export const ALL_PRIVILEGES =
  Privilege.ROBOT_LOGIN | Privilege.STORE_LOGIN | Privilege.ROBOT_ADMIN | Privilege.ADMIN;
export const hasPrivileges = (mask: number, required: number) => (mask & required) === required;

/**
 * The reference's header rule: `Authorization` must split on whitespace into exactly two parts; the scheme is
 * not checked. Anything else is 401 "Invalid credentials".
 */
export function extractToken(req: Request): string {
  const header = req.headers.authorization;
  if (!header) throw unauthorized();
  const parts = header.trim().split(/\s+/);
  if (parts.length !== 2 || !parts[1]) throw unauthorized();
  return parts[1];
}

export interface SessionPrincipal extends SessionData {
  kind: SessionKind;
  token: string;
}

export const SECURITY_SCHEMES = {
  robot: {
    type: "http",
    scheme: "bearer",
    description: "Robot session token (POST /base_api/v1/auth/robot/login_code)",
  },
  store: {
    type: "http",
    scheme: "bearer",
    description: "Store terminal token (POST /base_api/v1/auth/store/login_code)",
  },
  engineer: {
    type: "http",
    scheme: "bearer",
    description: "Engineer token (POST /base_api/v1/auth/engineer/login)",
  },
  service: { type: "http", scheme: "bearer", description: "Internal service token shared between services" },
  keycloak: { type: "http", scheme: "bearer", description: "Keycloak access token of a passenger" },
} as const;

export function sessionGuard(sessions: SessionStore, kind: "robot" | "store"): AuthGuard<SessionPrincipal> {
  return {
    scheme: kind,
    async authenticate(req) {
      const token = extractToken(req);
      const session = await sessions.validate(kind, token);
      if (!session) throw unauthorized();
      return { ...session, kind, token };
    },
  };
}

export function engineerGuard(
  sessions: SessionStore,
  required: number = Privilege.ADMIN,
): AuthGuard<SessionPrincipal> {
  return {
    scheme: "engineer",
    async authenticate(req) {
      const token = extractToken(req);
      const session = await sessions.validate("engineer", token);
      if (!session) throw unauthorized();
      if (!hasPrivileges(session.privileges ?? 0, required)) throw forbidden();
      return { ...session, kind: "engineer", token };
    },
  };
}

/** Constant-time comparison of secrets of any length. */
export function secretsEqual(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb);
}

export type ServicePrincipal = { kind: "service" } | SessionPrincipal;

/** For internal APIs: the shared service token, or an engineer token with the ADMIN bit. */
export function serviceOrAdminGuard(
  serviceToken: string,
  sessions: SessionStore,
): AuthGuard<ServicePrincipal> {
  const admin = engineerGuard(sessions, Privilege.ADMIN);
  return {
    scheme: "service",
    async authenticate(req) {
      const token = extractToken(req);
      if (secretsEqual(token, serviceToken)) return { kind: "service" };
      return admin.authenticate(req);
    },
  };
}

/** Tries guards in order; the first that accepts wins, otherwise the first failure is thrown. */
export function anyGuard<T>(...guards: AuthGuard<T>[]): AuthGuard<T> {
  return {
    scheme: guards.map((g) => g.scheme).join("|"),
    async authenticate(req) {
      let firstError: unknown;
      for (const guard of guards) {
        try {
          return await guard.authenticate(req);
        } catch (err) {
          firstError ??= err;
        }
      }
      throw firstError;
    },
  };
}
