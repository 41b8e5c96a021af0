import { Command } from "commander";
import { allPages, OpsError, type Page } from "../api.js";
import { contextOf, type Deps } from "../context.js";
import { printObject, printRows } from "../output.js";

interface Ticket {
  id: string;
  user_id: string;
  train_number: number;
  wagon_number: number;
  place_number: number;
  station_id: string;
  destination: string;
  date: string;
  start_date: string;
  code?: string;
}

const positiveInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new OpsError(`${name} must be a positive whole number, not ${v}`);
  return n;
};

/** `tickets …`: a ticket belongs to a timetable run, named by its id or by train number and departure. */
export function ticketsCommand(deps: Deps): Command {
  const cmd = new Command("tickets").description("tickets: create for a run, list, delete");

  cmd
    .command("create")
    .description(
      "create a ticket on a run (--run, or --train with --departure: the run's departure from its origin); " +
        "prints the ticket with its secret code",
    )
    .requiredOption("--user <user-id>", "the passenger")
    .option("--run <run-id>", "the timetable run (`GET /base_api/v1/admin/runs`)")
    .option("--train <number>", "train number (with --departure)", positiveInt("--train"))
    .option("--departure <iso-time>", "the run's departure from its origin, e.g. 2026-12-01T10:00:00Z")
    .requiredOption("--wagon <number>", "wagon number", positiveInt("--wagon"))
    .requiredOption("--place <number>", "seat number", positiveInt("--place"))
    .requiredOption("--from <station>", "boarding station id (e.g. MOSCOW)")
    .requiredOption("--to <station>", "destination station id (e.g. SPB)")
    .action(
      async (
        o: {
          user: string;
          run?: string;
          train?: number;
          departure?: string;
          wagon: number;
          place: number;
          from: string;
          to: string;
        },
        c: Command,
      ) => {
        const ctx = contextOf(deps, c);
        if (!o.run && !(o.train && o.departure))
          throw new OpsError("name the run: --run <id>, or --train <number> --departure <time>");
        const ticket = await ctx.api.request<Ticket>("POST", ctx.api.base("/admin/ticket"), "create ticket", {
          body: {
            user_id: o.user,
            ...(o.run ? { run_id: o.run } : { train_number: o.train, start_date: o.departure }),
            wagon_number: o.wagon,
            place_number: o.place,
            station_id: o.from,
            destination: o.to,
          },
        });
        printObject(ctx.io, ctx.json, { ...ticket });
      },
    );

  cmd
    .command("list")
    .description("list tickets (without their codes), latest departure first; --user to filter")
    .option("--user <user-id>", "only this passenger's tickets")
    .action(async (o: { user?: string }, c: Command) => {
      const ctx = contextOf(deps, c);
      const tickets = (
        await allPages((page) =>
          ctx.api.request<Page<Ticket>>("GET", ctx.api.base("/admin/tickets"), "list tickets", {
            query: { page, size: 100 },
          }),
        )
      ).filter((t) => !o.user || t.user_id === o.user);
      printRows(ctx.io, ctx.json, tickets as never[], [
        "id",
        "user_id",
        "train_number",
        "wagon_number",
        "place_number",
        "station_id",
        "destination",
        "date",
      ]);
    });

  cmd
    .command("delete")
    .description("delete a ticket")
    .argument("<ticket-id>")
    .action(async (id: string, _o, c: Command) => {
      const ctx = contextOf(deps, c);
      await ctx.api.request(
        "DELETE",
        ctx.api.base(`/admin/ticket/${encodeURIComponent(id)}`),
        "delete ticket",
      );
      printObject(ctx.io, ctx.json, { id, deleted: true });
    });
  // Signed QR codes (issue 17): what robots verify offline, and the keys that sign them.
  cmd
    .command("signed-code")
    .description("print a ticket's signed QR code (RT1:…, freshly signed with the current key)")
    .argument("<ticket-id>")
    .action(async (id: string, _o, c: Command) => {
      const ctx = contextOf(deps, c);
      const signed = await ctx.api.request<Record<string, unknown>>(
        "GET",
        ctx.api.base(`/admin/ticket/${encodeURIComponent(id)}/signed_code`),
        "signed code",
      );
      printObject(ctx.io, ctx.json, signed);
    });

  cmd
    .command("keys")
    .description(
      "list the ticket signing keys robots get (current, and retired ones whose codes may be valid)",
    )
    .action(async (_o, c: Command) => {
      const ctx = contextOf(deps, c);
      const set = await ctx.api.request<{ keys: Record<string, unknown>[] }>(
        "GET",
        ctx.api.base("/admin/ticket_keys"),
        "ticket keys",
      );
      printRows(ctx.io, ctx.json, set.keys as never[], [
        "kid",
        "status",
        "valid_from",
        "retired_at",
        "codes_valid_until",
      ]);
    });

  cmd
    .command("rotate-key")
    .description(
      "rotate the ticket signing key; codes signed by the old key stay valid until their own expiry",
    )
    .action(async (_o, c: Command) => {
      const ctx = contextOf(deps, c);
      const rotated = await ctx.api.request<Record<string, unknown>>(
        "POST",
        ctx.api.base("/admin/ticket_keys/rotate"),
        "rotate ticket key",
      );
      printObject(ctx.io, ctx.json, rotated);
    });

  cmd
    .command("conflicts")
    .description("tickets used twice offline (two doors, two robots): the later uses, newest first")
    .action(async (_o, c: Command) => {
      const ctx = contextOf(deps, c);
      const conflicts = await allPages((page) =>
        ctx.api.request<Page<Record<string, unknown>>>(
          "GET",
          ctx.api.base("/admin/ticket_use_conflicts"),
          "conflicts",
          {
            query: { page, size: 100 },
          },
        ),
      );
      printRows(ctx.io, ctx.json, conflicts as never[], [
        "ticket_id",
        "robot_id",
        "station_id",
        "wagon_number",
        "used_at",
        "first_used_at",
      ]);
    });
  return cmd;
}
