export * from "./database.js";
export * from "../stack-env.js";
export * from "./vitest.js";
export * from "./keycloak.js";
export * from "./postgres-cluster.js";
export * from "./fixtures.js";
export * from "./dev-data.js";
export * from "./stack-client.js";
