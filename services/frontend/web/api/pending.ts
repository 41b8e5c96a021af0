/**
 * Routes announced on the coordination board but not yet in the services' routers, declared in
 * openapi-typescript's shape so the client is typed before they land; each entry is deleted as soon as
 * `pnpm openapi` generates it from the real router (scripts/openapi.ts). Empty: everything is generated.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the overlay is empty for now
export interface pendingPaths {}
