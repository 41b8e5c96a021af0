export * from "./client.js";
export * from "./offline.js";
export * from "./ticket-code.js";
export type * from "./types.js";
