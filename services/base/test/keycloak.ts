/**
 * Test-only helpers: real tokens from the stack's Keycloak (never a fake). Keycloak is started once by
 * `scripts/stack up --infra` and reused by every test run; these helpers only talk to it.
 */
import { randomBytes } from "node:crypto";
import {
  KEYCLOAK_TEST_CLIENT_ID,
  enableKeycloakTestClient,
  keycloakAdminRequest,
  keycloakTestSettings,
  keycloakTokenRequest,
  type TokenResponse,
} from "@rail/common/testing";

const env = () => keycloakTestSettings();

/** The test-only client with direct access grants (realm-railway.json). */
export const TEST_CLIENT_ID = KEYCLOAK_TEST_CLIENT_ID;
/** Every realm's built-in admin-cli client: password grant, but no `base-api` audience mapper. */
export const FOREIGN_AUDIENCE_CLIENT_ID = "admin-cli";

let reachable: Promise<void> | undefined;

/** Fails fast, with what to do, when no Keycloak answers at KEYCLOAK_URL. Checked once per test process. */
export function requireKeycloak(): Promise<void> {
  reachable ??= (async () => {
    const { url, realm } = env();
    const wellKnown = `${url}/realms/${realm}/.well-known/openid-configuration`;
    try {
      const res = await fetch(wellKnown, { signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    } catch (err) {
      throw new Error(
        `Keycloak is not reachable at ${wellKnown} (${(err as Error).message}). ` +
          "These tests need the real Keycloak of the local stack: run `scripts/stack up --infra` and retry.",
      );
    }
    await enableKeycloakTestClient(env());
  })();
  return reachable;
}

async function tokenRequest(realm: string, form: Record<string, string>): Promise<string> {
  return (await keycloakTokenRequest(env(), realm, form)).access_token;
}

/** A real access token for a realm user (password grant through a test client). */
export function passwordToken(
  username: string,
  password: string,
  clientId = TEST_CLIENT_ID,
): Promise<string> {
  return tokenRequest(env().realm, {
    grant_type: "password",
    client_id: clientId,
    username,
    password,
    scope: "openid",
  });
}

/** The whole token response (access, ID and refresh tokens) of a password grant through the test client. */
export function passwordGrant(username: string, password: string): Promise<TokenResponse> {
  return keycloakTokenRequest(env(), env().realm, {
    grant_type: "password",
    client_id: TEST_CLIENT_ID,
    username,
    password,
    scope: "openid",
  });
}

const admin = (method: string, path: string, body?: unknown) =>
  keycloakAdminRequest(env(), method, path, body);

export interface TestUser {
  id: string;
  username: string;
  password: string;
  email: string;
  firstName: string;
  lastName: string;
}

/**
 * Registers a throw-away realm user. New users get the realm's default roles (thus `passenger`);
 * `withoutPassengerRole` removes them to get a valid token that lacks the role.
 */
export async function createTestUser(opts: { withoutPassengerRole?: boolean } = {}): Promise<TestUser> {
  const suffix = randomBytes(4).toString("hex");
  const user = {
    username: `test-${suffix}`,
    password: randomBytes(12).toString("base64url"),
    email: `test-${suffix}@example.test`,
    firstName: "Test",
    lastName: `Passenger ${suffix}`,
  };
  const res = await admin("POST", "/users", {
    username: user.username,
    email: user.email,
    emailVerified: true,
    firstName: user.firstName,
    lastName: user.lastName,
    enabled: true,
    credentials: [{ type: "password", value: user.password, temporary: false }],
  });
  const id = res.headers.get("location")?.split("/").pop();
  if (!id) throw new Error("Keycloak did not return the new user's id");
  if (opts.withoutPassengerRole) {
    const roles = (await (await admin("GET", `/users/${id}/role-mappings/realm`)).json()) as unknown[];
    await admin("DELETE", `/users/${id}/role-mappings/realm`, roles);
  }
  return { id, ...user };
}

/** Changes a realm user's profile, as the passenger would on Keycloak's account page. */
export async function updateTestUser(
  id: string,
  changes: Partial<Pick<TestUser, "email" | "firstName" | "lastName">>,
): Promise<void> {
  await admin("PUT", `/users/${id}`, changes);
}

export async function deleteTestUser(id: string): Promise<void> {
  await admin("DELETE", `/users/${id}`);
}

/** The same token with one claim changed and the original signature kept. */
export function tamperPayload(token: string, change: Record<string, unknown>): string {
  const [header, payload, signature] = token.split(".");
  const claims = JSON.parse(Buffer.from(payload!, "base64url").toString("utf8")) as Record<string, unknown>;
  return [
    header,
    Buffer.from(JSON.stringify({ ...claims, ...change })).toString("base64url"),
    signature,
  ].join(".");
}
