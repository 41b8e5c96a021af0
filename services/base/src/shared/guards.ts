import {
  engineerGuard,
  serviceOrAdminGuard,
  sessionGuard,
  type AuthGuard,
  type ServicePrincipal,
  type SessionPrincipal,
  type SessionStore,
} from "@rail/common";

/** The callers the base service's routes know, built once in app.ts from the shared session store. */
export interface Guards {
  /** Engineers with the ADMIN privilege (`/admin/*`). */
  admin: AuthGuard<SessionPrincipal>;
  /** On-train robots (sessions from the challenge login). */
  robot: AuthGuard<SessionPrincipal>;
  /** Other services (INTERNAL_SERVICE_TOKEN) or an ADMIN engineer (`/internal/*`). */
  service: AuthGuard<ServicePrincipal>;
}

export function createGuards(sessions: SessionStore, serviceToken: string): Guards {
  return {
    admin: engineerGuard(sessions),
    robot: sessionGuard(sessions, "robot"),
    service: serviceOrAdminGuard(serviceToken, sessions),
  };
}
