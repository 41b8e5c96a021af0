import autocannon, { type Options, type Request } from "autocannon";
import { cpuMillis } from "./rss.js";

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
  seconds: number;
  /** The kit baseline measured in rounds interleaved with this scenario (its ratio is taken against this). */
  baseline?: LoadResult;
  /** For the kit app: bare Express's CPU time per request over the kit's (1 = the kit costs nothing extra). */
  cpuRatio?: number;
  /** CPU time (user + system) the serving process (`LoadSpec.cpuPid`) spent per answered request, in µs. */
  cpuMicros?: number;
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
  /** A fixed number of requests instead of the run's duration (every answer is awaited). */
  amount?: number;
  /**
   * The serving process whose CPU time per request is reported (`cpuMicros`): unlike req/s it does not depend on
   * how the machine's other load schedules the processes (other work the service does meanwhile still counts).
   */
  cpuPid?: number;
}

let baselineSpec: LoadSpec | undefined;

/** From now on every duration-bound scenario is measured in rounds interleaved with this baseline. */
export function useBaseline(spec: LoadSpec | undefined) {
  baselineSpec = spec;
}

/**
 * Runs autocannon for the run's duration, after one second of unrecorded warm-up (so a freshly started service's
 * JIT and query caches do not count). With a baseline set (`useBaseline`), the scenario and the baseline take
 * turns in two rounds each, so that the ratio compares two measurements under the same background load: on a
 * shared machine that load moves a lot within a minute.
 */
export async function measure(spec: LoadSpec, settings: LoadSettings): Promise<LoadResult> {
  if (spec.amount) return run(spec, settings);
  if (!baselineSpec) {
    await load({ ...options(spec, settings), duration: 1 });
    return run(spec, settings);
  }
  const [result, baseline] = await measureInterleaved([spec, baselineSpec], settings, 2);
  return { ...result!, baseline };
}

/**
 * Several scenarios measured in interleaved rounds (A B C A B C ...), so that load from elsewhere on the machine
 * drifts over all of them alike; per scenario, req/s over all rounds and the median round's p50/p99.
 */
export async function measureInterleaved(
  specs: LoadSpec[],
  settings: LoadSettings,
  rounds = 3,
): Promise<LoadResult[]> {
  const perRound = { ...settings, duration: Math.max(1, Math.round(settings.duration / rounds)) };
  for (const spec of specs) await load({ ...options(spec, perRound), duration: 1 });
  const results: LoadResult[][] = specs.map(() => []);
  for (let r = 0; r < rounds; r++)
    for (const [i, spec] of specs.entries()) results[i]!.push(await run(spec, perRound));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return results.map((rs) => {
    const statuses: Record<string, number> = {};
    for (const r of rs)
      for (const [code, n] of Object.entries(r.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
    const requests = rs.reduce((a, r) => a + r.requests, 0);
    const cpu = rs.every((r) => r.cpuMicros !== undefined)
      ? rs.reduce((a, r) => a + r.cpuMicros! * r.requests, 0) / Math.max(requests, 1)
      : undefined;
    return {
      ...(cpu === undefined ? {} : { cpuMicros: cpu }),
      rps: requests / rs.reduce((a, r) => a + r.seconds, 0),
      p50: median(rs.map((r) => r.p50)),
      p99: median(rs.map((r) => r.p99)),
      requests,
      errors: rs.reduce((a, r) => a + r.errors, 0),
      statuses,
      seconds: rs.reduce((a, r) => a + r.seconds, 0),
    };
  });
}

/**
 * The same load against several processes of one service (before/after pairs of a change), each with its CPU time
 * per request. One after another by default; `sideBySide`: all at once, the connections split between them, so that
 * the machine's speed, which drifts by tens of per cent within minutes on a shared machine, weighs on each alike.
 */
export async function measureTargets<T extends { pid: number }>(
  targets: T[],
  spec: (target: T) => LoadSpec,
  settings: LoadSettings,
  sideBySide: boolean,
): Promise<LoadResult[]> {
  if (!sideBySide) {
    const results: LoadResult[] = [];
    for (const target of targets)
      results.push(await measure({ ...spec(target), cpuPid: target.pid }, settings));
    return results;
  }
  const connections = Math.max(1, Math.floor(settings.connections / targets.length));
  return Promise.all(
    targets.map((target) => measure({ ...spec(target), cpuPid: target.pid, connections }, settings)),
  );
}

/** Thrown at the next checkpoint once the run was interrupted (Ctrl-C): the scenario stops creating data. */
export class Interrupted extends Error {
  constructor() {
    super("interrupted");
  }
}

let interrupted = false;
const running = new Set<{ stop(): void }>();

/** Ctrl-C: the load running now stops at once, and every later checkpoint throws `Interrupted`. */
export function interruptLoad(): void {
  interrupted = true;
  for (const load of running) load.stop();
}

/** Throws `Interrupted` after `interruptLoad` (called between steps that create data, e.g. growth batches). */
export function checkpoint(): void {
  if (interrupted) throw new Interrupted();
}

/** autocannon, stoppable by `interruptLoad`. */
async function load(opts: Options): Promise<autocannon.Result> {
  checkpoint();
  let instance: autocannon.Instance | undefined;
  try {
    return await new Promise<autocannon.Result>((resolve, reject) => {
      instance = autocannon(opts, (err: Error | null, result: autocannon.Result) =>
        err ? reject(err) : resolve(result),
      );
      running.add(instance);
    });
  } finally {
    if (instance) running.delete(instance);
    checkpoint();
  }
}

/** One autocannon run, with the serving process's CPU time per request when `cpuPid` is given. */
async function run(spec: LoadSpec, settings: LoadSettings): Promise<LoadResult> {
  const before = spec.cpuPid === undefined ? undefined : cpuMillis(spec.cpuPid);
  const result = reduce(await load(options(spec, settings)));
  if (before === undefined) return result;
  return { ...result, cpuMicros: ((cpuMillis(spec.cpuPid!) - before) * 1000) / Math.max(result.requests, 1) };
}

function options(spec: LoadSpec, settings: LoadSettings): Options {
  return {
    url: spec.url,
    method: spec.method ?? "GET",
    headers: spec.headers,
    body: spec.body,
    requests: spec.requests,
    connections: spec.connections ?? settings.connections,
    ...(spec.amount ? { amount: spec.amount } : { duration: settings.duration }),
    timeout: 30,
  };
}

function reduce(result: autocannon.Result): LoadResult {
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
    seconds: result.duration,
  };
}

export const jsonHeaders = (token?: string): Record<string, string> => ({
  "content-type": "application/json",
  ...(token ? { authorization: `Bearer ${token}` } : {}),
});
