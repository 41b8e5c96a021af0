// @ts-check
// Local stack for the railway robot services: Postgres, Redis, Chroma, Keycloak, the four services and nginx as
// plain background processes (no Docker). Pid files and logs live under .stack/<part>/. See README.md.
// Only node built-ins (and packages/common/src/env-file.mjs): it has to run before `pnpm install`.
import { parseCommandLine } from "./cli.mjs";
import { COMMANDS } from "./commands/index.mjs";
import { StackError } from "./util.mjs";

// `scripts/stack status | head`: a reader that goes away is not an error.
process.stdout.on("error", (err) => {
  if (/** @type {NodeJS.ErrnoException} */ (err).code === "EPIPE") process.exit(0);
  throw err;
});

/** @param {string[]} argv */
async function main(argv) {
  const parsed = parseCommandLine(argv, COMMANDS);
  if (parsed.kind === "help") {
    console.log(parsed.text);
    return 0;
  }
  if (parsed.kind === "error") {
    console.error(parsed.text);
    return 2;
  }
  return (await parsed.command.run({ values: parsed.values, positionals: parsed.positionals })) ?? 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof StackError) console.error(`[stack] ERROR: ${err.message}`);
    else console.error(err);
    process.exit(1);
  },
);
