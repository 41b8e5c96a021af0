/**
 * Test-only helpers: real tokens from the stack's Keycloak (never a fake). Keycloak is started once by
 * `scripts/stack up --infra` and reused by every test run; these helpers only talk to it.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { loadStackEnv } from "@rail/common/testing";

let stackEnv: Record<string, string> | undefined;
/** The stack's settings; vitest's global setup runs outside the workers' test env, so read them here too. */
const setting = (key: string, fallback: string) =>
  process.env[key] ?? (stackEnv ??= loadStackEnv())[key] ?? fallback;

const env = () => ({
  url: setting("KEYCLOAK_URL", "http://127.0.0.1:8180/keycloak").replace(/\/+$/, ""),
  realm: setting("KEYCLOAK_REALM", "railway"),
  adminUser: setting("KEYCLOAK_ADMIN_USER", "admin"),
  adminPassword: setting("KEYCLOAK_ADMIN_PASSWORD", "admin"),
});

/** The test-only client with direct access grants (realm-railway.json). */
export const TEST_CLIENT_ID = "rail-test";
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
    await enableTestClient();
  })();
  return reachable;
}

const tokenResponseSchema = z.object({
  access_token: z.string(),
  id_token: z.string().optional(),
  refresh_token: z.string().optional(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

async function tokenRequest(realm: string, form: Record<string, string>): Promise<string> {
  return (await tokenResponse(realm, form)).access_token;
}

async function tokenResponse(realm: string, form: Record<string, string>): Promise<TokenResponse> {
  const res = await fetch(`${env().url}/realms/${realm}/protocol/openid-connect/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  });
  if (!res.ok) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
  return tokenResponseSchema.parse(await res.json());
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
  return tokenResponse(env().realm, {
    grant_type: "password",
    client_id: TEST_CLIENT_ID,
    username,
    password,
    scope: "openid",
  });
}

async function admin(method: string, path: string, body?: unknown): Promise<Response> {
  const { realm, adminUser, adminPassword } = env();
  const token = await tokenRequest("master", {
    grant_type: "password",
    client_id: "admin-cli",
    username: adminUser,
    password: adminPassword,
  });
  const res = await fetch(`${env().url}/admin/realms/${realm}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`Keycloak admin ${method} ${path} failed: ${res.status} ${await res.text()}`);
  return res;
}

/**
 * The password-grant test client may ship disabled (it must never be usable outside tests); the test setup
 * switches it on through the admin API.
 */
async function enableTestClient(): Promise<void> {
  const clients = (await (await admin("GET", `/clients?clientId=${TEST_CLIENT_ID}`)).json()) as {
    id: string;
    enabled: boolean;
  }[];
  const client = clients[0];
  if (!client)
    throw new Error(
      `Realm ${env().realm} has no ${TEST_CLIENT_ID} client: re-import services/base/keycloak/realm-railway.json`,
    );
  if (!client.enabled) await admin("PUT", `/clients/${client.id}`, { ...client, enabled: true });
}

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
