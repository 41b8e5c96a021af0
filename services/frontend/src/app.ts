import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express from "express";
import type { Logger } from "pino";
import { z } from "zod";
import { ApiRouter, createServiceApp } from "@rail/common";
import type { Config } from "./config.js";

const DEFAULT_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist");

export const webConfigSchema = z.object({
  keycloakUrl: z.string(),
  realm: z.string(),
  clientId: z.string(),
  baseApi: z.string(),
  storeApi: z.string(),
});

/** Serves the web app and the runtime configuration it needs (so one build works behind any host). */
export function buildApp(deps: { config: Config; logger: Logger }) {
  const distDir = deps.config.WEB_DIST_DIR ?? DEFAULT_DIST;
  const api = new ApiRouter().route({
    method: "get",
    path: "/config.json",
    summary: "Runtime configuration of the web app",
    response: webConfigSchema,
    handler: async () => ({
      keycloakUrl: deps.config.KEYCLOAK_PUBLIC_URL,
      realm: deps.config.KEYCLOAK_REALM,
      clientId: deps.config.KEYCLOAK_WEB_CLIENT_ID,
      baseApi: "/base_api/v1",
      storeApi: "/store_api/v1",
    }),
  });
  const indexHtml = path.join(distDir, "index.html");
  return createServiceApp({
    name: "frontend",
    prefix: "",
    description: "Passenger web site",
    logger: deps.logger,
    api,
    readiness: [
      {
        name: "web-build",
        check: async () => {
          if (!existsSync(indexHtml))
            throw new Error(`missing ${indexHtml}: run pnpm --filter @rail/frontend build`);
        },
      },
    ],
    after: [
      express.static(distDir, { index: false, maxAge: "1h" }),
      // Single-page app: any other GET that accepts HTML gets index.html; the router in the page takes over.
      (req, res, next) => {
        if (req.method !== "GET" || !req.accepts("html") || !existsSync(indexHtml)) return next();
        res.sendFile(indexHtml);
      },
    ],
  });
}
