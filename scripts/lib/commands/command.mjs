// @ts-check
/**
 * One `scripts/stack <name>` command. `options` are node:util parseArgs options (`--help` is added to every
 * command); `run` gets the parsed values and positionals and returns the exit code (default 0).
 * @typedef {object} Command
 * @property {string} usage arguments after the command name, e.g. "[part] [-f]"
 * @property {string} summary one line for `scripts/stack help`
 * @property {Record<string, { type: "string" | "boolean", short?: string, multiple?: boolean }>} [options]
 * @property {boolean} [positionals] whether the command takes positional arguments
 * @property {(args: { values: Record<string, string | boolean | string[] | boolean[] | undefined>,
 *   positionals: string[] }) => Promise<number | void> | number | void} run
 */

/**
 * Identity helper giving a command literal its type.
 * @param {Command} command
 * @returns {Command}
 */
export const defineCommand = (command) => command;
