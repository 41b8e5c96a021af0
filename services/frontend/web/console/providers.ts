import type { AuthProvider, I18nProvider } from "react-admin";
import polyglotI18nProvider from "ra-i18n-polyglot";
import englishMessages from "ra-language-english";
import russianMessages from "ra-language-russian";
import { ApiError } from "../api/client.js";
import type { WebConfig } from "../app/config.js";
import { detectLocale, setLocale } from "../i18n/index.js";
import { consoleEn, consoleRu } from "./messages.js";

const TOKEN_KEY = "rail.console.token";
const LOGIN_KEY = "rail.console.login";
export const consoleToken = () => sessionStorage.getItem(TOKEN_KEY);

export type Service = "base" | "store";

export interface CallOptions {
  query?: Record<string, string | number | undefined>;
  /** A JSON body, or a FormData sent as multipart/form-data (the browser sets the boundary). */
  body?: unknown;
}

/** One call to a service's API with the engineer's session token; `{detail}` errors become ApiError. */
export async function call<T = unknown>(
  config: WebConfig,
  service: Service,
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<T> {
  const url = new URL((service === "base" ? config.baseApi : config.storeApi) + path, window.location.origin);
  for (const [k, v] of Object.entries(opts.query ?? {}))
    if (v !== undefined) url.searchParams.set(k, String(v));
  const token = consoleToken();
  const form = opts.body instanceof FormData;
  const res = await fetch(url, {
    method,
    headers: {
      Accept: "application/json",
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(opts.body === undefined || form ? {} : { "Content-Type": "application/json" }),
    },
    body: opts.body === undefined ? undefined : form ? (opts.body as FormData) : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    // nginx's own error pages (502/504) are HTML: report the status, not a JSON parse error.
    data = undefined;
  }
  if (!res.ok) {
    const err = new ApiError(res.status, (data as { detail?: unknown } | undefined)?.detail);
    // react-admin shows an error's message: make it the detail, also for a 422 list of field issues.
    err.message = detailText(err);
    throw err;
  }
  return data as T;
}

/** The server's `detail`, readable: a string as is, a 422 list as "field: message; ...". */
export function detailText(err: unknown): string {
  if (!(err instanceof ApiError)) return (err as Error).message;
  if (typeof err.detail === "string") return err.detail;
  if (Array.isArray(err.detail))
    return err.detail
      .map((d: { loc?: unknown[]; msg?: string }) => `${(d.loc ?? []).slice(1).join(".")}: ${d.msg ?? ""}`)
      .join("; ");
  return `HTTP ${err.status}`;
}

export function authProvider(config: WebConfig): AuthProvider {
  return {
    async login({ username, password }: { username: string; password: string }) {
      const { token } = await call<{ token: string }>(config, "base", "POST", "/auth/engineer/login", {
        body: { login: username, password },
      }).catch((err: unknown) => {
        throw new Error(detailText(err));
      });
      sessionStorage.setItem(TOKEN_KEY, token);
      sessionStorage.setItem(LOGIN_KEY, username);
    },
    async logout() {
      sessionStorage.removeItem(TOKEN_KEY);
      sessionStorage.removeItem(LOGIN_KEY);
    },
    async checkAuth() {
      if (!consoleToken()) throw new Error("not signed in");
    },
    async checkError(error: unknown) {
      // An expired or revoked session: back to the login page.
      if (error instanceof ApiError && error.status === 401) {
        sessionStorage.removeItem(TOKEN_KEY);
        throw new Error("session expired");
      }
    },
    async getIdentity() {
      const login = sessionStorage.getItem(LOGIN_KEY) ?? "";
      return { id: login, fullName: login };
    },
  };
}

/** react-admin's own messages (ra-language-*) plus the console's, in the site's two languages. */
export function i18nProvider(): I18nProvider {
  const messages = {
    ru: { ...russianMessages, ...consoleRu },
    en: { ...englishMessages, ...consoleEn },
  };
  const polyglot = polyglotI18nProvider(
    (locale) => messages[locale === "en" ? "en" : "ru"],
    detectLocale(),
    [
      { locale: "ru", name: "Русский" },
      { locale: "en", name: "English" },
    ],
    { allowMissing: true },
  );
  return {
    ...polyglot,
    changeLocale: async (locale: string) => {
      setLocale(locale === "en" ? "en" : "ru"); // remembered for the whole site
      await polyglot.changeLocale(locale);
    },
  };
}
