// The development databases' fingerprint before the suite (checked by dev-data.guard.ts after every other file).
export { devDataSetup as default } from "@rail/common/testing";
