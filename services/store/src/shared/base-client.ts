import { ServiceClient } from "@rail/common";

/** The store's client for the base service's internal routes (`/internal/...`), with the internal service token. */
export function baseServiceClient(opts: { baseApiUrl: string; serviceToken: string; timeoutMs?: number }) {
  return new ServiceClient({
    name: "base",
    baseUrl: opts.baseApiUrl,
    token: opts.serviceToken,
    timeoutMs: opts.timeoutMs ?? 3000,
  });
}
