import KeycloakConnect from "keycloak-connect";
import { HttpError, unauthorized, withTimeout } from "@rail/common";
import { internalRealmUrl, publicRealmUrl, type KeycloakConfig } from "./keycloak.config.js";

/** What the base service takes from a verified Keycloak access token. */
export interface KeycloakClaims {
  /** Keycloak user id (`sub`), the key of `keycloak_users`. */
  subject: string;
  username?: string;
  name?: string;
  email?: string;
  realmRoles: string[];
}

/** Runtime shape of keycloak-connect's Token (its .d.ts leaves out `content`). */
interface VerifiedToken {
  content: {
    sub?: unknown;
    preferred_username?: unknown;
    name?: unknown;
    email?: unknown;
    realm_access?: { roles?: unknown };
  };
  hasRealmRole(role: string): boolean;
}

export interface TokenVerifier {
  verify(rawToken: string): Promise<KeycloakClaims>;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const NETWORK_FAILURE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|EAI_AGAIN|socket hang up|Error fetching JWK/;
const VERIFY_TIMEOUT_MS = 5000;

const optionalString = (v: unknown) => (typeof v === "string" && v.length > 0 ? v : undefined);

/**
 * Verifies Keycloak access tokens locally with keycloak-connect's GrantManager: RS256 signature against the
 * realm's JWKS (cached, refetched when an unknown `kid` shows up, i.e. after key rotation), expiry, token type,
 * issuer and audience. No round trip to Keycloak per request, unlike the reference's userinfo call.
 */
export class KeycloakVerifier implements TokenVerifier {
  private readonly keycloak: KeycloakConnect.Keycloak;

  constructor(private readonly config: KeycloakConfig) {
    this.keycloak = new KeycloakConnect({}, {
      realm: config.KEYCLOAK_REALM,
      // The issuer check compares `iss` with `<auth-server-url>/realms/<realm>`: the browser-facing URL.
      "auth-server-url": config.KEYCLOAK_PUBLIC_URL,
      resource: config.KEYCLOAK_API_CLIENT_ID,
      "bearer-only": true,
      "ssl-required": "external",
      "confidential-port": 0,
      "verify-token-audience": true,
    } as KeycloakConnect.KeycloakConfig);
    // Signing keys come from the direct URL: the public one goes through nginx, which the service need not reach.
    (this.keycloak.grantManager as unknown as { rotation: { realmUrl: string } }).rotation.realmUrl =
      internalRealmUrl(config);
  }

  get issuer() {
    return publicRealmUrl(this.config);
  }

  async verify(rawToken: string): Promise<KeycloakClaims> {
    // keycloak-connect treats an unparsable token as "expired"; reject garbage with an honest reason first.
    if (!JWT_SHAPE.test(rawToken) || !hasRs256Header(rawToken)) throw unauthorized("Invalid token");
    let token: VerifiedToken;
    try {
      // createGrant takes the raw token response (its .d.ts says Token objects); bearer-only: access token only.
      const createGrant = this.keycloak.grantManager.createGrant.bind(
        this.keycloak.grantManager,
      ) as unknown as (raw: { access_token: string }) => Promise<{ access_token: VerifiedToken }>;
      // keycloak-connect's JWKS request has no timeout of its own.
      token = (
        await withTimeout(
          createGrant({ access_token: rawToken }),
          VERIFY_TIMEOUT_MS,
          () => new HttpError(503, "Keycloak unavailable"),
        )
      ).access_token;
    } catch (err) {
      throw toHttpError(err);
    }
    const subject = optionalString(token.content.sub);
    if (!subject) throw unauthorized("Invalid token");
    const roles = token.content.realm_access?.roles;
    return {
      subject,
      username: optionalString(token.content.preferred_username),
      name: optionalString(token.content.name),
      email: optionalString(token.content.email),
      realmRoles: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === "string") : [],
    };
  }
}

function hasRs256Header(rawToken: string): boolean {
  try {
    const header = JSON.parse(Buffer.from(rawToken.split(".")[0]!, "base64url").toString("utf8")) as unknown;
    const payload = JSON.parse(Buffer.from(rawToken.split(".")[1]!, "base64url").toString("utf8")) as unknown;
    return (
      typeof header === "object" &&
      header !== null &&
      (header as { alg?: unknown }).alg === "RS256" &&
      typeof payload === "object" &&
      payload !== null &&
      typeof (payload as { exp?: unknown }).exp === "number"
    );
  } catch {
    return false;
  }
}

function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (message.includes("(expired)")) return unauthorized("Token expired");
  if (message.includes("(wrong audience)")) return unauthorized("Invalid token audience");
  if (message.includes("(wrong ISS)")) return unauthorized("Invalid token issuer");
  if (NETWORK_FAILURE.test(message)) return new HttpError(503, "Keycloak unavailable");
  return unauthorized("Invalid token");
}
