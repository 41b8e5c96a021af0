/** Runtime configuration served by the frontend server at /config.json (one build works behind any host). */
export interface WebConfig {
  keycloakUrl: string;
  realm: string;
  clientId: string;
  baseApi: string;
  storeApi: string;
}

export async function loadWebConfig(): Promise<WebConfig> {
  const res = await fetch("/config.json", { headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`Could not load /config.json (${res.status})`);
  const json = (await res.json()) as Partial<WebConfig>;
  for (const key of ["keycloakUrl", "realm", "clientId", "baseApi"] as const) {
    if (typeof json[key] !== "string" || !json[key]) throw new Error(`/config.json lacks ${key}`);
  }
  return json as WebConfig;
}
