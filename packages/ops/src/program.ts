import { Command, CommanderError } from "commander";
import { ApiError, formatDetail, OpsError } from "./api.js";
import { engineersCommand } from "./commands/engineers.js";
import { passengersCommand, robotsCommand, terminalsCommand, tokenCommand } from "./commands/keys.js";
import { runsCommand } from "./commands/runs.js";
import { ImportRejected, itemsCommand, storesCommand, tasksCommand } from "./commands/store.js";
import { ticketsCommand } from "./commands/tickets.js";
import type { Deps } from "./context.js";

/** The whole command tree; `deps` are the terminal, environment and prompts (tests pass their own). */
export function buildProgram(deps: Deps): Command {
  const program = new Command("ops")
    .description(
      "Operator CLI for the railway robot services: calls the public APIs through nginx as an engineer " +
        "(RAIL_OPS_LOGIN/RAIL_OPS_PASSWORD or RAIL_OPS_TOKEN, else asked for).",
    )
    .option(
      "--url <url>",
      "public URL of the stack (default: RAIL_OPS_URL, RAIL_PUBLIC_URL or http://localhost:8080)",
    )
    .option("--json", "print JSON instead of tables")
    .showHelpAfterError()
    .enablePositionalOptions(false);
  for (const sub of [
    tokenCommand(deps),
    engineersCommand(deps),
    robotsCommand(deps),
    terminalsCommand(deps),
    passengersCommand(deps),
    runsCommand(deps),
    ticketsCommand(deps),
    storesCommand(deps),
    itemsCommand(deps),
    tasksCommand(deps),
  ])
    program.addCommand(sub);
  // Every command and subcommand: parse errors and --help go through deps.io and end in an exit code.
  const configure = (cmd: Command) => {
    cmd
      .exitOverride()
      .configureHelp({ showGlobalOptions: true })
      .configureOutput({
        writeOut: (s) => deps.io.out(s.replace(/\n$/, "")),
        writeErr: (s) => deps.io.err(s.replace(/\n$/, "")),
      });
    for (const c of cmd.commands) configure(c);
  };
  configure(program);
  return program;
}

/** Runs the CLI; resolves with the exit status (0 ok, 1 the server or a file said no, 2 usage). */
export async function runCli(argv: string[], deps: Deps): Promise<number> {
  const program = buildProgram(deps);
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === "commander.helpDisplayed" ||
        err.code === "commander.help" ||
        err.code === "commander.version"
      )
        return 0;
      // (commander has printed the problem and the help already)
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof ImportRejected) return 1;
    if (err instanceof ApiError) {
      deps.io.err(`error: ${err.what}: ${formatDetail(err.detail)} (HTTP ${err.status})`);
      return 1;
    }
    if (err instanceof OpsError) {
      deps.io.err(`error: ${err.message}`);
      return 1;
    }
    if (err instanceof Error && err.name === "ExitPromptError") return 130; // Ctrl-C at a prompt
    throw err;
  }
}
