import os from "node:os";
import type pg from "pg";

export interface Machine {
  cpu: string;
  cores: number;
  memory: string;
  node: string;
  postgres: string;
  kernel: string;
}

export async function describeMachine(db: pg.Pool): Promise<Machine> {
  const { rows } = await db.query<{ v: string }>("SELECT current_setting('server_version') AS v");
  return {
    cpu: os.cpus()[0]?.model.trim() ?? "unknown",
    cores: os.cpus().length,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    postgres: rows[0]?.v ?? "unknown",
    kernel: `${os.type()} ${os.release()}`,
  };
}

/** 1-minute load average: what else ran on the machine while the bench did. */
export const loadAverage = () => os.loadavg()[0]!;
