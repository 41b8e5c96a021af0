import type { Command } from "commander";
import type { Prompter } from "../src/credentials.js";
import type { Deps } from "../src/context.js";
import { buildProgram, runCli } from "../src/program.js";

export interface Run {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in-process with captured output, a given environment and no terminal. */
export async function ops(
  argv: string[],
  env: Record<string, string | undefined>,
  prompter?: Prompter,
): Promise<Run> {
  let out = "";
  let err = "";
  const deps: Deps = {
    io: { out: (s) => void (out += `${s}\n`), err: (s) => void (err += `${s}\n`), progress: false },
    env,
    prompter: prompter ?? {
      interactive: false,
      input: () => Promise.reject(new Error("no terminal")),
      password: () => Promise.reject(new Error("no terminal")),
    },
  };
  const code = await runCli(argv, deps);
  return { code, out, err };
}

/** Every command path of the program, e.g. ["engineers", "create"]. */
export function commandPaths(): string[][] {
  const program = buildProgram({
    io: { out: () => {}, err: () => {}, progress: false },
    env: {},
    prompter: { interactive: false, input: async () => "", password: async () => "" },
  });
  const paths: string[][] = [];
  const walk = (cmd: Command, prefix: string[]) => {
    for (const c of cmd.commands) {
      paths.push([...prefix, c.name()]);
      walk(c, [...prefix, c.name()]);
    }
  };
  walk(program, []);
  return paths;
}
