import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "./env.js";

/** The services whose memory the report shows; their pid files are written by `scripts/stack`. */
export const SERVICES = ["base", "store", "face", "frontend"] as const;

function children(): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name may hold spaces and parentheses: the ppid is the second field after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      map.set(ppid, [...(map.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended meanwhile
    }
  }
  return map;
}

function status(pid: number, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * The service's own process: the stack starts `pnpm start`, which runs tsx, which runs the service's node
 * process; the biggest resident process in that tree is the service.
 */
export function servicePid(service: string): number | undefined {
  const file = path.join(REPO_ROOT, ".stack", service, `${service}.pid`);
  if (!existsSync(file)) return undefined;
  const root = Number(readFileSync(file, "utf8").trim());
  const tree = children();
  const all: number[] = [];
  const walk = (pid: number) => {
    all.push(pid);
    for (const c of tree.get(pid) ?? []) walk(c);
  };
  walk(root);
  return all.sort((a, b) => status(b, "VmRSS") - status(a, "VmRSS"))[0];
}

/** Resets the kernel's peak-RSS counter (VmHWM), so the report shows the peak during this run only. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

export const peakRss = (pid: number) => status(pid, "VmHWM");

/** CPU time (user + system) the process has used so far, in milliseconds. */
export function cpuMillis(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of stat, i.e. 12 and 13 after the command name; in clock ticks (100/s).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
