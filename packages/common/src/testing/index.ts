export * from "./database.js";
export * from "./env.js";
export * from "./vitest.js";
export * from "./keycloak.js";
