import { Command } from "commander";
import { allPages, OpsError, type Page } from "../api.js";
import { contextOf, type Deps } from "../context.js";
import { printRows } from "../output.js";

interface Run {
  id: string;
  train_number: number;
  departure: string;
  arrival: string | null;
  origin: string | null;
  terminus: string | null;
}

/** `runs list`: the timetable runs tickets are sold on (their ids for `tickets create --run`). */
export function runsCommand(deps: Deps): Command {
  const cmd = new Command("runs").description("timetable runs (trains on a date): list, to find a run's id");

  cmd
    .command("list")
    .description("runs by departure from their origin (default: from now for the next 24 hours)")
    .option("--train <number>", "only this train")
    .option("--from <iso-time>", "departing at or after (default: now)")
    .option("--to <iso-time>", "departing before (default: 24 h after --from)")
    .action(async (o: { train?: string; from?: string; to?: string }, c: Command) => {
      const ctx = contextOf(deps, c);
      const from = o.from ? new Date(o.from) : new Date();
      if (Number.isNaN(from.getTime())) throw new OpsError(`--from ${o.from} is not a time`);
      const to = o.to ? new Date(o.to) : new Date(from.getTime() + 24 * 3600_000);
      if (Number.isNaN(to.getTime())) throw new OpsError(`--to ${o.to} is not a time`);
      const runs = await allPages((page) =>
        ctx.api.request<Page<Run>>("GET", ctx.api.base("/admin/runs"), "list runs", {
          query: { page, size: 100, train_number: o.train, from: from.toISOString(), to: to.toISOString() },
        }),
      );
      printRows(ctx.io, ctx.json, runs as never[], [
        "id",
        "train_number",
        "origin",
        "departure",
        "terminus",
        "arrival",
      ]);
    });
  return cmd;
}
