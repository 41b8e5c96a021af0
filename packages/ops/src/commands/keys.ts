import { readFileSync, rmSync } from "node:fs";
import { Command } from "commander";
import { allPages, OpsError, type Page } from "../api.js";
import { contextOf, type Deps } from "../context.js";
import { keyLogin, newKeyPair, readPrivateKey, writePrivateKey } from "../keys.js";
import { printObject, printRows } from "../output.js";

interface Robot {
  id: string;
  robot_model_id: string;
  robot_model_name: string;
}

/**
 * Writes the private key first (so an unwritable --key-out fails before anything is enrolled), then enrols; the
 * file is removed again when the enrolment is refused.
 */
async function enrolWithKeyFile<T>(
  file: string,
  pem: string,
  force: boolean | undefined,
  enrol: () => Promise<T>,
) {
  writePrivateKey(file, pem, force);
  try {
    return await enrol();
  } catch (err) {
    rmSync(file, { force: true });
    throw err;
  }
}

/** `robots …` and `terminals …`: enrolment writes a new private key (0600) and prints the id. */
export function robotsCommand(deps: Deps): Command {
  const cmd = new Command("robots").description("robots: enrol a key pair, list, delete");

  cmd
    .command("enrol")
    .description("enrol a robot: new RSA key pair, private key written to --key-out (0600), id printed")
    .requiredOption("--key-out <file>", "where to write the robot's private key (PEM)")
    .requiredOption("--model-id <id>", "robot model id (e.g. its serial number)")
    .option("--model-name <name>", "robot model name", "Robot:1.0")
    .option("--force", "replace an existing key file")
    .action(
      async (o: { keyOut: string; modelId: string; modelName: string; force?: boolean }, c: Command) => {
        const ctx = contextOf(deps, c);
        const keys = newKeyPair();
        const credentials = await ctx.credentials();
        const robot = await enrolWithKeyFile(o.keyOut, keys.privateKey, o.force, () =>
          ctx.api.request<Robot>("POST", ctx.api.base("/auth/robot/new_login"), "enrol robot", {
            auth: false,
            body: {
              ...credentials,
              public_key: keys.publicKey,
              robot_model_id: o.modelId,
              robot_model_name: o.modelName,
            },
          }),
        );
        printObject(ctx.io, ctx.json, { ...robot, key_file: o.keyOut });
      },
    );

  cmd
    .command("list")
    .description("list enrolled robots")
    .action(async (_o, c: Command) => {
      const ctx = contextOf(deps, c);
      const robots = await allPages((page) =>
        ctx.api.request<Page<Robot>>("GET", ctx.api.base("/admin/robots"), "list robots", {
          query: { page, size: 100 },
        }),
      );
      printRows(ctx.io, ctx.json, robots as never[], ["id", "robot_model_id", "robot_model_name"]);
    });

  cmd
    .command("delete")
    .description("delete a robot (its key stops working, its sessions end)")
    .argument("<robot-id>")
    .action(async (id: string, _o, c: Command) => {
      const ctx = contextOf(deps, c);
      await ctx.api.request(
        "DELETE",
        ctx.api.base(`/admin/robots/${encodeURIComponent(id)}`),
        "delete robot",
      );
      printObject(ctx.io, ctx.json, { id, deleted: true });
    });

  return cmd;
}

export function terminalsCommand(deps: Deps): Command {
  const cmd = new Command("terminals").description("store terminals: enrol a key pair for a store, delete");

  cmd
    .command("enrol")
    .description("enrol a store's terminal: new RSA key pair, private key written to --key-out (0600)")
    .requiredOption("--store <store-id>", "the store the terminal serves (its id is the terminal's id)")
    .requiredOption("--key-out <file>", "where to write the terminal's private key (PEM)")
    .option("--force", "replace an existing key file")
    .action(async (o: { store: string; keyOut: string; force?: boolean }, c: Command) => {
      const ctx = contextOf(deps, c);
      const keys = newKeyPair();
      const credentials = await ctx.credentials();
      const store = await enrolWithKeyFile(o.keyOut, keys.privateKey, o.force, () =>
        ctx.api.request<{ id: string; name: string }>(
          "POST",
          ctx.api.base("/auth/store/new_login"),
          "enrol store terminal",
          { auth: false, body: { ...credentials, public_key: keys.publicKey, store_id: o.store } },
        ),
      );
      printObject(ctx.io, ctx.json, { id: store.id, name: store.name, key_file: o.keyOut });
    });

  cmd
    .command("delete")
    .description("remove a store's terminal key (its sessions end)")
    .argument("<store-id>")
    .action(async (id: string, _o, c: Command) => {
      const ctx = contextOf(deps, c);
      await ctx.api.request(
        "DELETE",
        ctx.api.base(`/admin/store_terminals/${encodeURIComponent(id)}`),
        "delete store terminal",
      );
      printObject(ctx.io, ctx.json, { id, deleted: true });
    });

  return cmd;
}

/** `token engineer|robot|terminal`: a session token for curl and the API docs' Authorize button. */
export function tokenCommand(deps: Deps): Command {
  const cmd = new Command("token").description(
    'print a session token (for curl: -H "Authorization: Bearer $(pnpm -s ops token …)", or the API docs)',
  );

  cmd
    .command("engineer")
    .description("the engineer's token (login from RAIL_OPS_LOGIN/RAIL_OPS_PASSWORD or asked for)")
    .action(async (_o, c: Command) => {
      const ctx = contextOf(deps, c);
      const token = await ctx.engineerToken();
      if (ctx.json) printObject(ctx.io, true, { token });
      else ctx.io.out(token);
    });

  for (const [name, kind, what] of [
    ["robot", "robot", "robot id"],
    ["terminal", "store", "store id"],
  ] as const) {
    cmd
      .command(name)
      .description(`a ${name}'s token: challenge/response with its private key`)
      .argument("<id>", what)
      .requiredOption("--key <file>", `the ${name}'s private key (from \`ops ${name}s enrol\`)`)
      .action(async (id: string, o: { key: string }, c: Command) => {
        const ctx = contextOf(deps, c);
        const token = await keyLogin(ctx.api, kind, id, readPrivateKey(o.key));
        if (ctx.json) printObject(ctx.io, true, { token });
        else ctx.io.out(token);
      });
  }
  return cmd;
}

/** `passengers …` */
export function passengersCommand(deps: Deps): Command {
  const cmd = new Command("passengers").description(
    "passengers: create (optionally with a face photo), list, delete",
  );
  interface User {
    id: string;
    name: string;
  }

  cmd
    .command("create")
    .description("create a passenger")
    .argument("<name>")
    .option("--face <photo>", "a JPEG/PNG photo of the passenger's face (enrols it with the face service)")
    .action(async (name: string, o: { face?: string }, c: Command) => {
      const ctx = contextOf(deps, c);
      let face: string | null = null;
      if (o.face) {
        try {
          face = readFileSync(o.face).toString("base64");
        } catch (err) {
          throw new OpsError(`cannot read ${o.face}: ${(err as Error).message}`);
        }
      }
      const user = await ctx.api.request<User>("POST", ctx.api.base("/admin/user"), "create passenger", {
        body: { name, face },
      });
      printObject(ctx.io, ctx.json, { ...user });
    });

  cmd
    .command("list")
    .description("list passengers")
    .action(async (_o, c: Command) => {
      const ctx = contextOf(deps, c);
      const users = await allPages((page) =>
        ctx.api.request<Page<User>>("GET", ctx.api.base("/admin/users"), "list passengers", {
          query: { page, size: 100 },
        }),
      );
      printRows(ctx.io, ctx.json, users as never[], ["id", "name"]);
    });

  cmd
    .command("delete")
    .description("delete a passenger (tickets, face)")
    .argument("<user-id>")
    .action(async (id: string, _o, c: Command) => {
      const ctx = contextOf(deps, c);
      await ctx.api.request(
        "DELETE",
        ctx.api.base(`/admin/users/${encodeURIComponent(id)}`),
        "delete passenger",
      );
      printObject(ctx.io, ctx.json, { id, deleted: true });
    });
  return cmd;
}
