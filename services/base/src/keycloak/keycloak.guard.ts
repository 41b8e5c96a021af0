import { extractToken, forbidden, type AuthGuard } from "@rail/common";
import type { KeycloakClaims, TokenVerifier } from "./keycloak.verifier.js";

export interface PassengerPrincipal {
  kind: "passenger";
  /** Base `users.id` linked to the Keycloak subject. */
  userId: string;
  claims: KeycloakClaims;
}

/** Maps verified claims to a base user id (just-in-time provisioning lives in the passenger feature). */
export type ResolveUser = (claims: KeycloakClaims) => Promise<string>;

/**
 * Keycloak bearer auth for the passenger API: a missing header or a bad/expired/foreign token is 401 (header
 * parsing as in the reference: two whitespace-separated parts, scheme ignored), a valid token without the
 * passenger realm role is 403. The user is resolved only after both checks pass.
 */
export function passengerGuard(
  verifier: TokenVerifier,
  role: string,
  resolveUser: ResolveUser,
): AuthGuard<PassengerPrincipal> {
  return {
    scheme: "keycloak",
    async authenticate(req) {
      const claims = await verifier.verify(extractToken(req));
      if (!claims.realmRoles.includes(role)) throw forbidden("Passenger role required");
      return { kind: "passenger", userId: await resolveUser(claims), claims };
    },
  };
}
