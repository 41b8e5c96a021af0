import createClient, { type Client } from "openapi-fetch";
import type { Auth } from "../app/auth.js";
import type { paths as BasePaths } from "./base.js";
import type { pendingPaths } from "./pending.js";
import type { paths as StorePaths } from "./store.js";

/** Generated paths, with the announced-but-not-yet-generated ones (pending.ts) laid over them. */
type Overlay<A, B> = Omit<A, keyof B> & {
  [K in keyof B]: K extends keyof A ? Omit<A[K], keyof B[K]> & B[K] : B[K];
};
export type BaseApiPaths = Overlay<BasePaths, pendingPaths>;
export type BaseApi = Client<BaseApiPaths>;
export type StoreApi = Client<StorePaths>;

/** An API error with the `detail` the service sent (a string, or a list of issues on 422). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: unknown,
  ) {
    super(typeof detail === "string" ? detail : `HTTP ${status}`);
  }
}

/** Network failure (offline, nginx down): no status at all. */
export class NetworkError extends Error {}

/**
 * The result of an openapi-fetch call as a value or an ApiError, so pages can `await ok(api.GET(...))`.
 * Typed by the generated `paths`, so a renamed field or route fails the build (scripts/openapi.ts).
 */
export async function ok<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<NonNullable<T>> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (err) {
    throw new NetworkError((err as Error).message);
  }
  if (!result.response.ok) {
    const detail = (result.error as { detail?: unknown } | undefined)?.detail;
    throw new ApiError(result.response.status, detail);
  }
  return result.data as NonNullable<T>;
}

/** Attaches the passenger's access token; a 401 sends them back through Keycloak (SSO signs straight back in). */
function withAuth<C extends Client<never>>(client: C, auth: Auth): C {
  client.use({
    async onRequest({ request }) {
      const user = await auth.user();
      if (user) request.headers.set("Authorization", `Bearer ${user.access_token}`);
      return request;
    },
    async onResponse({ response }) {
      if (response.status === 401) {
        await auth.manager.removeUser();
        void auth.signIn();
      }
      return response;
    },
  });
  return client;
}

export function createBaseApi(baseUrl: string, auth: Auth): BaseApi {
  return withAuth(createClient<BaseApiPaths>({ baseUrl }), auth);
}

export function createStoreApi(baseUrl: string, auth: Auth): StoreApi {
  return withAuth(createClient<StorePaths>({ baseUrl }), auth);
}

/**
 * A client for the console and the terminal: their own session token (engineer or store terminal) instead of
 * the passenger's Keycloak token; `onUnauthorized` runs on a 401 (session expired: sign in again).
 */
export function createSessionClient<Paths extends object>(
  baseUrl: string,
  token: () => string | null,
  onUnauthorized: () => void,
): Client<Paths> {
  const client = createClient<Paths>({ baseUrl });
  client.use({
    onRequest({ request }) {
      const t = token();
      if (t) request.headers.set("Authorization", `Bearer ${t}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) onUnauthorized();
      return response;
    },
  });
  return client;
}
