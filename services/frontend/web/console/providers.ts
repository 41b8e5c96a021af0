import type { AuthProvider, DataProvider, GetListParams, I18nProvider, RaRecord } from "react-admin";
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

type Service = "base" | "store";

/** One call to a service's API with the engineer's session token; `{detail}` errors become ApiError. */
export async function call<T = unknown>(
  config: WebConfig,
  service: Service,
  method: string,
  path: string,
  opts: { query?: Record<string, string | number | undefined>; body?: unknown } = {},
): Promise<T> {
  const url = new URL((service === "base" ? config.baseApi : config.storeApi) + path, window.location.origin);
  for (const [k, v] of Object.entries(opts.query ?? {}))
    if (v !== undefined) url.searchParams.set(k, String(v));
  const token = consoleToken();
  const res = await fetch(url, {
    method,
    headers: {
      Accept: "application/json",
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(opts.body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) throw new ApiError(res.status, (data as { detail?: unknown } | undefined)?.detail);
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

/** How one console resource maps onto the services' routes (they differ: reference-compatible paths). */
interface ResourceRoutes {
  service: Service;
  list: string;
  one?: (id: string) => string;
  create?: string;
  update?: (id: string) => string;
  remove?: (id: string) => string;
  /** Field that identifies a record when it has no `id` (trains: `number`). */
  idField?: string;
  /** Field of the list answer holding the records when it is neither a page nor an array (ticket keys: `keys`). */
  itemsField?: string;
  /** Body sent on create/update (defaults to the form's values without `id`). */
  toBody?: (data: Record<string, unknown>) => unknown;
}

export const RESOURCES: Record<string, ResourceRoutes> = {
  stations: {
    service: "base",
    list: "/admin/stations",
    one: (id) => `/admin/stations/${id}`,
    create: "/admin/stations",
    update: (id) => `/admin/stations/${id}`,
    remove: (id) => `/admin/stations/${id}`,
  },
  trains: {
    service: "base",
    list: "/admin/trains",
    one: (n) => `/admin/trains/${n}`,
    create: "/admin/trains",
    update: (n) => `/admin/trains/${n}`,
    remove: (n) => `/admin/trains/${n}`,
    idField: "number",
    toBody: ({ id: _id, number, ...rest }) => ({ number, ...rest }),
  },
  runs: {
    service: "base",
    list: "/admin/runs",
    create: "/admin/runs",
    remove: (id) => `/admin/runs/${id}`,
    toBody: ({ train_number, departure }) => ({ train_number, departure }),
  },
  stores: {
    service: "store",
    list: "/admin/stores",
    one: (id) => `/admin/store/${id}`,
    create: "/admin/store",
    remove: (id) => `/admin/store/${id}`,
  },
  robots: {
    service: "base",
    list: "/admin/robots",
    // Enrolment takes engineer credentials and the robot's public key (PEM), as robots do themselves.
    create: "/auth/robot/new_login",
    remove: (id) => `/admin/robots/${id}`,
  },
  // Read-only: written by the base service for every admin change.
  audit: { service: "base", list: "/admin/audit" },
  passengers: { service: "base", list: "/admin/users", remove: (id) => `/admin/users/${id}` },
  tickets: {
    service: "base",
    list: "/admin/tickets",
    create: "/admin/ticket",
    remove: (id) => `/admin/ticket/${id}`,
  },
  // Read-only lists; rotation has its own button (POST /admin/ticket_keys/rotate).
  ticket_keys: { service: "base", list: "/admin/ticket_keys", idField: "kid", itemsField: "keys" },
  ticket_use_conflicts: { service: "base", list: "/admin/ticket_use_conflicts", idField: "use_id" },
  auth_cards: { service: "base", list: "/admin/auth_cards" },
  store_terminals: {
    service: "base",
    list: "/admin/store_terminals",
    idField: "store_id",
    remove: (id) => `/admin/store_terminals/${id}`,
  },
  engineers: {
    service: "base",
    list: "/admin/engineers",
    create: "/admin/engineer",
    // Privileges are replaced as a whole (the engineer's sessions end).
    update: () => "/admin/engineer_privileges",
    remove: (id) => `/admin/engineers/${id}`,
    toBody: ({ id, login, password, privileges }) =>
      password === undefined
        ? { id, privileges: privileges ?? [] }
        : { login, password, privileges: privileges ?? [] },
  },
};

const withId = (r: ResourceRoutes, record: Record<string, unknown>): RaRecord =>
  ({ ...record, id: (record.id ?? record[r.idField ?? "id"] ?? record.run_id) as string }) as RaRecord;

/** A list answer: the kit's `{items,total,...}` page, a plain array, or an array in `itemsField`. */
export function asPage(
  data: unknown,
  itemsField?: string,
): { items: Record<string, unknown>[]; total: number } {
  if (itemsField) data = (data as Record<string, unknown>)[itemsField] ?? [];
  if (Array.isArray(data)) return { items: data as Record<string, unknown>[], total: data.length };
  const page = data as { items: Record<string, unknown>[]; total: number };
  return { items: page.items, total: page.total };
}

/** Search and sort inside the page the server returned (its list routes page, but neither sort nor search). */
export function searchAndSort(items: RaRecord[], params: Pick<GetListParams, "filter" | "sort">): RaRecord[] {
  const q = typeof params.filter?.q === "string" ? params.filter.q.trim().toLowerCase() : "";
  const found = q ? items.filter((r) => JSON.stringify(r).toLowerCase().includes(q)) : items;
  const { field, order } = params.sort ?? { field: "", order: "ASC" };
  if (!field) return found;
  const sign = order === "DESC" ? -1 : 1;
  return [...found].sort((a, b) => {
    const x = a[field] as string | number;
    const y = b[field] as string | number;
    return x === y ? 0 : x > y ? sign : -sign;
  });
}

export function dataProvider(config: WebConfig): DataProvider {
  const routes = (resource: string) => {
    const r = RESOURCES[resource];
    if (!r) throw new Error(`unknown resource ${resource}`);
    return r;
  };
  const body = (r: ResourceRoutes, data: Record<string, unknown>) => {
    if (r.toBody) return r.toBody(data);
    const { id: _id, ...rest } = data;
    return rest;
  };
  const getList = async (resource: string, params: GetListParams) => {
    const r = routes(resource);
    const { page = 1, perPage = 25 } = params.pagination ?? {};
    const { q: _q, ...filters } = params.filter ?? {};
    const data = await call(config, r.service, "GET", r.list, {
      query: { page, size: perPage, ...(filters as Record<string, string>) },
    });
    const { items, total } = asPage(data, r.itemsField);
    const records = searchAndSort(
      items.map((i) => withId(r, i)),
      params,
    );
    return { data: records, total: params.filter?.q ? records.length : total };
  };
  const provider: DataProvider = {
    getList: getList as DataProvider["getList"],
    async getOne(resource, { id }) {
      const r = routes(resource);
      if (r.one) return { data: withId(r, await call(config, r.service, "GET", r.one(String(id)))) } as never;
      const { data } = await getList(resource, {
        pagination: { page: 1, perPage: 100 },
        sort: { field: "", order: "ASC" },
        filter: {},
      });
      const found = data.find((x) => String(x.id) === String(id));
      if (!found) throw new ApiError(404, "Not found");
      return { data: found } as never;
    },
    async getMany(resource, { ids }) {
      const all = await Promise.all(ids.map((id) => provider.getOne(resource, { id })));
      return { data: all.map((x) => x.data) } as never;
    },
    async getManyReference(resource, params) {
      return getList(resource, {
        ...params,
        filter: { ...params.filter, [params.target]: params.id },
      }) as never;
    },
    async create(resource, { data }) {
      const r = routes(resource);
      if (!r.create) throw new Error(`${resource} cannot be created here`);
      const created = await call<unknown>(config, r.service, "POST", r.create, { body: body(r, data) });
      const first = Array.isArray(created)
        ? created[0]
        : ((created as { items?: unknown[] }).items?.[0] ?? created);
      return { data: withId(r, first as Record<string, unknown>) } as never;
    },
    async update(resource, { id, data }) {
      const r = routes(resource);
      if (!r.update) throw new Error(`${resource} cannot be edited here`);
      const updated = await call<Record<string, unknown>>(config, r.service, "PUT", r.update(String(id)), {
        body: body(r, data),
      });
      return { data: withId(r, { ...data, ...(updated ?? {}) }) } as never;
    },
    async updateMany() {
      throw new Error("not supported");
    },
    async delete(resource, { id, previousData }) {
      const r = routes(resource);
      if (!r.remove) throw new Error(`${resource} cannot be deleted here`);
      await call(config, r.service, "DELETE", r.remove(String(id)));
      return { data: previousData ?? ({ id } as RaRecord) } as never;
    },
    async deleteMany(resource, { ids }) {
      for (const id of ids) await provider.delete(resource, { id });
      return { data: ids } as never;
    },
  };
  return provider;
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
