import autocannon, { type Options, type Request } from "autocannon";

export interface LoadSettings {
  /** Seconds per scenario. */
  duration: number;
  connections: number;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Answers by status code. */
  statuses: Record<string, number>;
}

export interface LoadSpec {
  url: string;
  method?: Request["method"];
  headers?: Record<string, string>;
  body?: string;
  /** A request sequence each connection repeats (autocannon `requests`), e.g. to vary the body. */
  requests?: Request[];
  /** Overrides the run's connection count (e.g. fewer for CPU-bound face inference). */
  connections?: number;
}

/** Runs autocannon for the run's duration and reduces its result to what the report shows. */
export async function measure(spec: LoadSpec, settings: LoadSettings): Promise<LoadResult> {
  const opts: Options = {
    url: spec.url,
    method: spec.method ?? "GET",
    headers: spec.headers,
    body: spec.body,
    requests: spec.requests,
    connections: spec.connections ?? settings.connections,
    duration: settings.duration,
    timeout: 30,
  };
  const result = await autocannon(opts);
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = stat.count ?? 0;
  const requests = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    rps: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests,
    errors: result.errors,
    statuses,
  };
}

export const jsonHeaders = (token?: string): Record<string, string> => ({
  "content-type": "application/json",
  ...(token ? { authorization: `Bearer ${token}` } : {}),
});
