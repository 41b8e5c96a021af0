// @ts-check
import { up } from "../lifecycle.mjs";
import { defineCommand } from "./command.mjs";

export default defineCommand({
  usage: "[--infra]",
  summary: "start Postgres, Redis, Chroma, Keycloak (+ base, store, face, frontend, nginx unless --infra)",
  options: { infra: { type: "boolean" } },
  run: ({ values }) => up({ infra: values.infra === true }),
});
