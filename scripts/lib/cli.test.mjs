// @ts-check
import { describe, expect, test } from "vitest";
import { parseCommandLine, usage } from "./cli.mjs";
import { COMMANDS } from "./commands/index.mjs";

/** @type {Record<string, import("./commands/command.mjs").Command>} */
const table = {
  up: { usage: "[--infra]", summary: "start", options: { infra: { type: "boolean" } }, run: () => 0 },
  logs: {
    usage: "[part] [-f]",
    summary: "logs",
    options: { follow: { type: "boolean", short: "f" } },
    positionals: true,
    run: () => 0,
  },
};

describe("parseCommandLine", () => {
  test("picks the command and parses its options and positionals", () => {
    const r = parseCommandLine(["logs", "base", "-f"], table);
    expect(r.kind).toBe("run");
    if (r.kind !== "run") return;
    expect(r.name).toBe("logs");
    expect(r.values.follow).toBe(true);
    expect(r.positionals).toEqual(["base"]);
    const u = parseCommandLine(["up", "--infra"], table);
    expect(u.kind === "run" && u.values.infra).toBe(true);
  });

  test("rejects unknown commands, unknown options and unexpected positionals", () => {
    expect(parseCommandLine(["upp"], table)).toMatchObject({ kind: "error", text: /unknown command "upp"/ });
    expect(parseCommandLine(["up", "--infr"], table)).toMatchObject({ kind: "error", text: /--infr/ });
    expect(parseCommandLine(["up", "base"], table)).toMatchObject({ kind: "error" });
    expect(parseCommandLine(["toString"], table)).toMatchObject({ kind: "error" });
  });

  test("no command is a usage error; help and --help on any command print help", () => {
    expect(parseCommandLine([], table).kind).toBe("error");
    expect(parseCommandLine(["help"], table)).toMatchObject({ kind: "help", text: /up \[--infra\]/ });
    expect(parseCommandLine(["logs", "--help"], table)).toMatchObject({
      kind: "help",
      text: /scripts\/stack logs \[part\] \[-f\][\s\S]*--follow, -f/,
    });
    expect(parseCommandLine(["help", "up"], table)).toMatchObject({ kind: "help", text: /--infra/ });
  });
});

test("the real command table keeps every documented command", () => {
  expect(Object.keys(COMMANDS)).toEqual(
    expect.arrayContaining(["up", "down", "status", "logs", "start", "stop", "restart", "test"]),
  );
  const text = usage(COMMANDS);
  for (const name of Object.keys(COMMANDS)) expect(text).toContain(`  ${name}`);
});
