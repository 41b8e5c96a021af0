import {
  sessionGuard,
  serviceOrAdminGuard,
  type AuthGuard,
  type SessionPrincipal,
  type ServicePrincipal,
  type SessionStore,
} from "@rail/common";

/** The three kinds of caller the store service knows, built once per app from the shared session store. */
export interface Guards {
  /** On-train robots (sessions created by the base service). */
  robot: AuthGuard<SessionPrincipal>;
  /** Store terminals: the session subject is the terminal's store id. */
  store: AuthGuard<SessionPrincipal>;
  /** Administration and other services: the internal service token or an ADMIN engineer. */
  admin: AuthGuard<ServicePrincipal>;
}

export function createGuards(sessions: SessionStore, serviceToken: string): Guards {
  return {
    robot: sessionGuard(sessions, "robot"),
    store: sessionGuard(sessions, "store"),
    admin: serviceOrAdminGuard(serviceToken, sessions),
  };
}
