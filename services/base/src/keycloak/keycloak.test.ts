import { afterEach, describe, expect, test, vi } from "vitest";
import { HttpError } from "@rail/common";
import { readKeycloakConfig } from "./keycloak.config.js";
import { KeycloakVerifier } from "./keycloak.verifier.js";
import {
  FOREIGN_AUDIENCE_CLIENT_ID,
  createTestUser,
  deleteTestUser,
  passwordGrant,
  passwordToken,
  requireKeycloak,
  tamperPayload,
  type TestUser,
} from "../../test/keycloak.js";

/** Awaits a rejection and returns its status and detail. */
async function failure(promise: Promise<unknown>) {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpError);
  return { status: (err as HttpError).status, detail: (err as HttpError).detail };
}

/** A Keycloak passenger of this file (deleted after its last test) and an access token of theirs. */
const it = test.extend<{ kc: { user: TestUser; token: string } }>({
  kc: [
    // eslint-disable-next-line no-empty-pattern -- vitest fixtures take their dependencies by destructuring
    async ({}, use) => {
      await requireKeycloak();
      const user = await createTestUser();
      try {
        await use({ user, token: await passwordToken(user.username, user.password) });
      } finally {
        await deleteTestUser(user.id);
      }
    },
    { scope: "file" },
  ],
});

describe("Keycloak access token verification (keycloak-connect, real Keycloak)", () => {
  const config = readKeycloakConfig();
  const verifier = new KeycloakVerifier(config);
  afterEach(() => {
    vi.useRealTimers();
  });

  it("accepts a real access token and reads subject, name, email and realm roles", async ({
    kc: { user, token },
  }) => {
    const claims = await verifier.verify(token);
    expect(claims).toMatchObject({
      subject: user.id,
      username: user.username,
      name: `${user.firstName} ${user.lastName}`,
      email: user.email,
    });
    expect(claims.realmRoles).toContain("passenger");
  });

  it("rejects an expired token with 401 Token expired", async ({ kc: { token } }) => {
    const exp = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()).exp as number;
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime((exp + 1) * 1000);
    expect(await failure(verifier.verify(token))).toEqual({ status: 401, detail: "Token expired" });
  });

  it("rejects a token whose payload was altered after signing", async ({ kc: { token } }) => {
    const forged = tamperPayload(token, { realm_access: { roles: ["passenger", "engineer"] } });
    expect(await failure(verifier.verify(forged))).toEqual({ status: 401, detail: "Invalid token" });
    const otherSubject = tamperPayload(token, { sub: "00000000-0000-4000-8000-000000000000" });
    expect(await failure(verifier.verify(otherSubject))).toEqual({ status: 401, detail: "Invalid token" });
  });

  it("rejects a token with a signature that is not Keycloak's", async ({ kc: { token } }) => {
    const [header, payload] = token.split(".");
    const bogus = Buffer.alloc(256, 7).toString("base64url");
    expect(await failure(verifier.verify(`${header}.${payload}.${bogus}`))).toEqual({
      status: 401,
      detail: "Invalid token",
    });
  });

  it("rejects an unsigned (alg none) token and malformed strings", async ({ kc: { token } }) => {
    const payload = token.split(".")[1];
    const none = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    expect(await failure(verifier.verify(`${none}.${payload}.`))).toEqual({
      status: 401,
      detail: "Invalid token",
    });
    expect(await failure(verifier.verify("not-a-jwt"))).toEqual({ status: 401, detail: "Invalid token" });
  });

  it("accepts only access tokens: an ID token or a refresh token of the same login is 401", async ({
    kc: { user },
  }) => {
    const grant = await passwordGrant(user.username, user.password);
    expect(await verifier.verify(grant.access_token)).toMatchObject({ subject: user.id });
    expect(await failure(verifier.verify(grant.id_token!))).toEqual({ status: 401, detail: "Invalid token" });
    expect(await failure(verifier.verify(grant.refresh_token!))).toEqual({
      status: 401,
      detail: "Invalid token",
    });
  });

  it("rejects a realm token issued for another audience (no base-api)", async ({ kc: { user } }) => {
    const foreign = await passwordToken(user.username, user.password, FOREIGN_AUDIENCE_CLIENT_ID);
    expect(await failure(verifier.verify(foreign))).toEqual({
      status: 401,
      detail: "Invalid token audience",
    });
  });

  it("rejects tokens from an issuer other than the configured public Keycloak URL", async ({
    kc: { token },
  }) => {
    const elsewhere = new KeycloakVerifier({
      ...config,
      KEYCLOAK_PUBLIC_URL: "http://keycloak.elsewhere.test/keycloak",
    });
    expect(await failure(elsewhere.verify(token))).toEqual({ status: 401, detail: "Invalid token issuer" });
  });

  it("answers 503 when Keycloak's signing keys cannot be fetched", async ({ kc: { token } }) => {
    const unreachable = new KeycloakVerifier({ ...config, KEYCLOAK_URL: "http://127.0.0.1:1/keycloak" });
    expect(await failure(unreachable.verify(token))).toEqual({ status: 503, detail: "Keycloak unavailable" });
  });
});
