import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Service } from "./providers.js";
import { CONSOLE_RESOURCES } from "./resources/index.js";

const API_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../api");
const METHODS = ["get", "put", "post", "delete", "patch"] as const;

/**
 * The routes a service has, read from its generated types (web/api/<service>.ts, written from the service's
 * own router by scripts/openapi.ts): each path template as a pattern with the methods it answers.
 */
function routesOf(
  service: Service,
): { pattern: RegExp; template: string; methods: Set<string>; searchable: boolean }[] {
  const text = readFileSync(path.join(API_DIR, `${service}.ts`), "utf8");
  const body = text.slice(text.indexOf("export interface paths {"), text.indexOf("\nexport type webhooks"));
  return [...body.matchAll(/^ {2}"([^"]+)": \{\n([\s\S]*?)^ {2}\};/gm)].map(([, template, block]) => ({
    template: template!,
    pattern: new RegExp(`^${template!.replace(/\{[^}]+\}/g, "[^/]+")}$`),
    methods: new Set(METHODS.filter((m) => new RegExp(`^ {4}${m}: \\{`, "m").test(block!))),
    // The GET's query parameters include `q`.
    searchable: /^ {4}get: \{\n\s+parameters: \{\n\s+query\?: \{[^}]*\bq\?:/m.test(block!),
  }));
}

const ROUTES = { base: routesOf("base"), store: routesOf("store") };
const answers = (service: Service, method: string, url: string) =>
  ROUTES[service].some((r) => r.pattern.test(url) && r.methods.has(method));

// Sample values for the parts of a path that come from an id, a record or a list's filter.
const sample = { store_id: "s1", destination_id: "SPB", user_id: "u1" };
const at = <T>(route: T | string, ...args: unknown[]) =>
  typeof route === "function" ? (route as (...a: unknown[]) => string)(...args) : (route as string);

describe("the console's routes exist in the services' routers", () => {
  it("has read the generated route lists", () => {
    expect(ROUTES.base.length).toBeGreaterThan(50);
    expect(ROUTES.store.length).toBeGreaterThan(10);
    // A path with another method only is not a route: the stations page once listed GET /admin/stations (405).
    expect(answers("base", "post", "/admin/stations")).toBe(true);
    expect(answers("base", "get", "/admin/stations")).toBe(false);
    expect(answers("store", "get", "/admin/store/item/x1")).toBe(true);
  });

  it.for(CONSOLE_RESOURCES.map((r) => [r.name, r] as const))("%s", ([, { routes: r }]) => {
    const calls: [string, string, Service][] = [["get", at(r.list, sample), r.service]];
    if (r.one) calls.push(["get", r.one("x1"), r.service]);
    if (r.create) calls.push(["post", at(r.create, sample), r.service]);
    if (r.update) calls.push(["put", r.update("x1", sample), r.service]);
    if (r.remove) calls.push(["delete", r.remove("x1", sample), r.service]);
    for (const upload of Object.values(r.uploads ?? {})) calls.push(["post", upload.path, upload.service]);
    const missing = calls.filter(([method, url, service]) => !answers(service, method, url));
    expect(missing.map(([method, url, service]) => `${service}: ${method.toUpperCase()} ${url}`)).toEqual([]);
    // Search is sent to the server exactly where its list route takes `q`.
    const list = ROUTES[r.service].find((route) => route.pattern.test(at(r.list, sample)));
    expect(Boolean(r.serverSearch)).toBe(list?.searchable ?? false);
  });
});
