import { z } from "zod";
import { loadStackEnv } from "../stack-env.js";

/** Where the stack's Keycloak is and how to administer it (from the stack's environment). */
export interface KeycloakTestSettings {
  url: string;
  realm: string;
  adminUser: string;
  adminPassword: string;
}

export function keycloakTestSettings(
  env: Record<string, string | undefined> = { ...loadStackEnv(), ...process.env },
) {
  return {
    url: (env.KEYCLOAK_URL ?? "http://127.0.0.1:8180/keycloak").replace(/\/+$/, ""),
    realm: env.KEYCLOAK_REALM ?? "railway",
    adminUser: env.KEYCLOAK_ADMIN_USER ?? "admin",
    adminPassword: env.KEYCLOAK_ADMIN_PASSWORD ?? "admin",
  } satisfies KeycloakTestSettings;
}

/** The password-grant client the test suites use; it ships disabled in realm-railway.json. */
export const KEYCLOAK_TEST_CLIENT_ID = "rail-test";

export const tokenResponseSchema = z.object({
  access_token: z.string(),
  id_token: z.string().optional(),
  refresh_token: z.string().optional(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

export async function keycloakTokenRequest(
  settings: KeycloakTestSettings,
  realm: string,
  form: Record<string, string>,
): Promise<TokenResponse> {
  const res = await fetch(`${settings.url}/realms/${realm}/protocol/openid-connect/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  });
  if (!res.ok) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
  return tokenResponseSchema.parse(await res.json());
}

/** A call to the realm's admin REST API as the Keycloak admin. */
export async function keycloakAdminRequest(
  settings: KeycloakTestSettings,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  const { access_token: token } = await keycloakTokenRequest(settings, "master", {
    grant_type: "password",
    client_id: "admin-cli",
    username: settings.adminUser,
    password: settings.adminPassword,
  });
  const res = await fetch(`${settings.url}/admin/realms/${settings.realm}${path}`, {
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
 * The password-grant test client ships disabled (it must never be usable outside tests); test setups switch it
 * on through the admin API.
 */
export async function enableKeycloakTestClient(settings: KeycloakTestSettings): Promise<void> {
  const res = await keycloakAdminRequest(settings, "GET", `/clients?clientId=${KEYCLOAK_TEST_CLIENT_ID}`);
  const client = ((await res.json()) as { id: string; enabled: boolean }[])[0];
  if (!client) {
    throw new Error(
      `Realm ${settings.realm} has no ${KEYCLOAK_TEST_CLIENT_ID} client: re-import services/base/keycloak/realm-railway.json`,
    );
  }
  if (!client.enabled)
    await keycloakAdminRequest(settings, "PUT", `/clients/${client.id}`, { ...client, enabled: true });
}
