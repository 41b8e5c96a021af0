import { z } from "zod";
import { loadConfig } from "@rail/common";

/**
 * How the base service trusts Keycloak.
 *
 * Two URLs because Keycloak has two audiences: browsers reach it through nginx (KEYCLOAK_PUBLIC_URL, which is
 * also Keycloak's `--hostname`, so it is the `iss` of every token), while the base service talks to it directly
 * (KEYCLOAK_URL, allowed by `--hostname-backchannel-dynamic`). The issuer is checked against the public URL; the
 * signing keys (JWKS) are fetched over the direct URL.
 */
export const keycloakConfigSchema = z.object({
  KEYCLOAK_URL: z.url(),
  KEYCLOAK_PUBLIC_URL: z.url(),
  KEYCLOAK_REALM: z.string().min(1).default("railway"),
  /** Audience the base service requires in access tokens (the bearer-only client). */
  KEYCLOAK_API_CLIENT_ID: z.string().min(1).default("base-api"),
  /** Realm role a token must carry to use the passenger API. */
  KEYCLOAK_PASSENGER_ROLE: z.string().min(1).default("passenger"),
});
export type KeycloakConfig = z.infer<typeof keycloakConfigSchema>;

export const readKeycloakConfig = (source: NodeJS.ProcessEnv = process.env) =>
  loadConfig(keycloakConfigSchema, source);

const trimSlash = (url: string) => url.replace(/\/+$/, "");

/** `<server>/realms/<realm>` as browsers see it: the expected token issuer. */
export const publicRealmUrl = (c: KeycloakConfig) =>
  `${trimSlash(c.KEYCLOAK_PUBLIC_URL)}/realms/${c.KEYCLOAK_REALM}`;
/** `<server>/realms/<realm>` as the base service reaches it. */
export const internalRealmUrl = (c: KeycloakConfig) =>
  `${trimSlash(c.KEYCLOAK_URL)}/realms/${c.KEYCLOAK_REALM}`;
