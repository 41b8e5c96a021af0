// @ts-check
// Argument handling of scripts/stack: picks the command from the table and parses its options (pure apart from
// printing; unit-tested with a fake table).
import { parseArgs } from "node:util";

/**
 * @param {Record<string, import("./commands/command.mjs").Command>} commands
 */
export function usage(commands) {
  const rows = Object.entries(commands).map(([name, c]) => [`${name} ${c.usage}`.trim(), c.summary]);
  const width = Math.max(...rows.map(([u]) => (u ?? "").length));
  return [
    "usage: scripts/stack <command> [options]   (scripts/stack <command> --help for one command)",
    ...rows.map(([u, s]) => `  ${(u ?? "").padEnd(width)}  ${s}`),
  ].join("\n");
}

/**
 * Parses argv against the command table.
 * @param {string[]} argv arguments after `scripts/stack`
 * @param {Record<string, import("./commands/command.mjs").Command>} commands
 * @returns {{ kind: "run", name: string, command: import("./commands/command.mjs").Command,
 *     values: Record<string, any>, positionals: string[] }
 *   | { kind: "help", text: string }
 *   | { kind: "error", text: string }}
 */
export function parseCommandLine(argv, commands) {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    const topic = name === "help" && rest[0] ? commands[rest[0]] : undefined;
    if (topic && rest[0]) return { kind: "help", text: commandHelp(rest[0], topic) };
    return name ? { kind: "help", text: usage(commands) } : { kind: "error", text: usage(commands) };
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) return { kind: "error", text: `unknown command "${name}"\n${usage(commands)}` };
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: "boolean", short: "h" } },
      allowPositionals: command.positionals === true,
      strict: true,
    });
    if (values.help) return { kind: "help", text: commandHelp(name, command) };
    return { kind: "run", name, command, values, positionals };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { kind: "error", text: `${message}\n${commandHelp(name, command)}` };
  }
}

/**
 * @param {string} name
 * @param {import("./commands/command.mjs").Command} command
 */
function commandHelp(name, command) {
  const opts = Object.entries(command.options ?? {}).map(
    ([o, d]) => `  --${o}${d.short ? `, -${d.short}` : ""}${d.type === "string" ? " <value>" : ""}`,
  );
  return [`usage: scripts/stack ${name} ${command.usage}`.trimEnd(), `  ${command.summary}`, ...opts].join(
    "\n",
  );
}
