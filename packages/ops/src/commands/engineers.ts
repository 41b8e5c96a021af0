import { randomBytes } from "node:crypto";
import { Command, Option } from "commander";
import { allPages, OpsError, type Page } from "../api.js";
import { type Context, contextOf, type Deps } from "../context.js";
import { printObject, printRows } from "../output.js";

export const PRIVILEGES = ["ROBOT_LOGIN", "STORE_LOGIN", "ROBOT_ADMIN", "ADMIN"] as const;
interface Engineer {
  id: string;
  login: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An engineer named by id or login. */
async function resolveEngineer(ctx: Context, who: string): Promise<Engineer> {
  const all = await listEngineers(ctx);
  const found = all.find((e) => (UUID.test(who) ? e.id === who.toLowerCase() : e.login === who));
  if (!found) throw new OpsError(`no engineer ${who}`);
  return found;
}

const listEngineers = (ctx: Context) =>
  allPages((page) =>
    ctx.api.request<Page<Engineer>>("GET", ctx.api.base("/admin/engineers"), "list engineers", {
      query: { page, size: 100 },
    }),
  );

const privilegeOption = () =>
  new Option("-p, --privilege <name...>", "privileges to grant").choices(PRIVILEGES).default([] as string[]);

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

export function engineersCommand(deps: Deps): Command {
  const cmd = new Command("engineers").description("engineers: list, create, privileges, RFID cards, delete");

  cmd
    .command("list")
    .description("list engineers")
    .action(async (_o, c: Command) => {
      const ctx = contextOf(deps, c);
      printRows(ctx.io, ctx.json, (await listEngineers(ctx)) as never[], ["id", "login"]);
    });

  cmd
    .command("create")
    .description(
      "create an engineer; the password is asked for, read with --password-stdin, or generated and printed once",
    )
    .argument("<login>")
    .addOption(privilegeOption())
    .option("--password-stdin", "read the new password from standard input")
    .action(async (login: string, o: { privilege: string[]; passwordStdin?: boolean }, c: Command) => {
      const ctx = contextOf(deps, c);
      let password: string;
      let generated = false;
      if (o.passwordStdin) password = await readStdin();
      else if (deps.prompter.interactive)
        password = await deps.prompter.password(`Password for ${login} (8+)`);
      else {
        password = randomBytes(15).toString("base64url");
        generated = true;
      }
      const created = await ctx.api.request<Engineer>(
        "POST",
        ctx.api.base("/admin/engineer"),
        "create engineer",
        {
          body: { login, password, privileges: o.privilege },
        },
      );
      printObject(ctx.io, ctx.json, {
        ...created,
        privileges: o.privilege.join(" "),
        ...(generated ? { password } : {}),
      });
    });

  cmd
    .command("privileges")
    .description(`replace an engineer's privileges (${PRIVILEGES.join(", ")}; none: no arguments)`)
    .argument("<engineer>", "id or login")
    .argument("[privilege...]", "privileges to keep")
    .action(async (who: string, privileges: string[], _o, c: Command) => {
      const ctx = contextOf(deps, c);
      const bad = privileges.filter((p) => !(PRIVILEGES as readonly string[]).includes(p));
      if (bad.length)
        throw new OpsError(`unknown privilege(s) ${bad.join(", ")} (one of ${PRIVILEGES.join(", ")})`);
      const engineer = await resolveEngineer(ctx, who);
      await ctx.api.request("PUT", ctx.api.base("/admin/engineer_privileges"), "set privileges", {
        body: { id: engineer.id, privileges },
      });
      printObject(ctx.io, ctx.json, { ...engineer, privileges: privileges.join(" ") });
    });

  cmd
    .command("card")
    .description("set an engineer's RFID card key (or remove it with --remove)")
    .argument("<engineer>", "id or login")
    .argument("[key]", "the card's key")
    .option("--remove", "remove the card")
    .action(async (who: string, key: string | undefined, o: { remove?: boolean }, c: Command) => {
      const ctx = contextOf(deps, c);
      if (!key && !o.remove) throw new OpsError("give the card key, or --remove");
      const engineer = await resolveEngineer(ctx, who);
      await ctx.api.request(
        "PUT",
        ctx.api.base(`/admin/engineer/${engineer.id}/auth_card`),
        "set auth card",
        {
          body: { key: o.remove ? null : key },
        },
      );
      printObject(ctx.io, ctx.json, { ...engineer, card: o.remove ? "(removed)" : "set" });
    });

  cmd
    .command("delete")
    .description("delete an engineer (and their card); ends their sessions")
    .argument("<engineer>", "id or login")
    .action(async (who: string, _o, c: Command) => {
      const ctx = contextOf(deps, c);
      const engineer = await resolveEngineer(ctx, who);
      await ctx.api.request("DELETE", ctx.api.base(`/admin/engineers/${engineer.id}`), "delete engineer");
      printObject(ctx.io, ctx.json, { ...engineer, deleted: true });
    });

  return cmd;
}
