import { Command, Option } from "commander";
import { allPages, ApiError, OpsError, type Page } from "../api.js";
import { contextOf, type Deps } from "../context.js";
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, readItemsFile, rejectedRows } from "../items-import.js";
import { printObject, printRows } from "../output.js";
import { uploadWithProgress } from "../progress.js";

interface Store {
  id: string;
  name: string;
  store_type: string;
  description: string;
  logo_url: string;
}

export function storesCommand(deps: Deps): Command {
  const cmd = new Command("stores").description("stores (shops and restaurants): list, create, delete");

  cmd
    .command("list")
    .description("list stores")
    .action(async (_o, c: Command) => {
      const ctx = contextOf(deps, c);
      const stores = await allPages((page) =>
        ctx.api.request<Page<Store>>("GET", ctx.api.store("/admin/stores"), "list stores", {
          query: { page, size: 100 },
        }),
      );
      printRows(ctx.io, ctx.json, stores as never[], ["id", "name", "store_type"]);
    });

  cmd
    .command("create")
    .description("create a store")
    .argument("<name>")
    .addOption(new Option("--type <type>", "kind of store").choices(["SHOP", "RESTAURANT"]).default("SHOP"))
    .option("--description <text>", "description", "")
    .option("--logo <url>", "logo URL (e.g. /static/…)", "")
    .action(async (name: string, o: { type: string; description: string; logo: string }, c: Command) => {
      const ctx = contextOf(deps, c);
      const store = await ctx.api.request<Store>("POST", ctx.api.store("/admin/store"), "create store", {
        body: { name, store_type: o.type, description: o.description, logo_url: o.logo },
      });
      printObject(ctx.io, ctx.json, { ...store });
    });

  cmd
    .command("delete")
    .description("delete a store with its items, purchases and tasks")
    .argument("<store-id>")
    .action(async (id: string, _o, c: Command) => {
      const ctx = contextOf(deps, c);
      await ctx.api.request(
        "DELETE",
        ctx.api.store(`/admin/store/${encodeURIComponent(id)}`),
        "delete store",
      );
      printObject(ctx.io, ctx.json, { id, deleted: true });
    });
  return cmd;
}

export function itemsCommand(deps: Deps): Command {
  const cmd = new Command("items").description("store items: import a catalogue");

  cmd
    .command("import")
    .description(
      `import items into a store from CSV or JSON, all or nothing (at most ${MAX_IMPORT_ROWS} rows). ` +
        "CSV columns: name, description, logo_url, balance, price_penny, category. " +
        "Rejected rows are listed and nothing is stored.",
    )
    .argument("<store-id>")
    .argument("<file>", "a .csv or .json file")
    .addOption(
      new Option("--format <format>", "file format (default: from the extension)").choices(["csv", "json"]),
    )
    .action(async (storeId: string, file: string, o: { format?: "csv" | "json" }, c: Command) => {
      const ctx = contextOf(deps, c);
      const { rows, labels } = readItemsFile(file, o.format);
      if (!rows.length) throw new OpsError(`${file} has no items`);
      if (rows.length > MAX_IMPORT_ROWS)
        throw new OpsError(`${file} has ${rows.length} items; one import takes at most ${MAX_IMPORT_ROWS}`);
      const size = Buffer.byteLength(JSON.stringify({ items: rows }));
      if (size > MAX_IMPORT_BYTES)
        throw new OpsError(
          `${file} is ${(size / 1e6).toFixed(1)} MB as JSON; one import takes at most 1 MB (nginx's and the store's body limit): split it`,
        );
      await ctx.engineerToken(); // log in before the bar starts, so a prompt is not drawn over it
      const upload = uploadWithProgress(ctx.io, { items: rows }, rows.length, "uploading");
      try {
        const result = await ctx.api.request<{ created: number; items: { id: string; name: string }[] }>(
          "POST",
          ctx.api.store(`/admin/store/${encodeURIComponent(storeId)}/items/import`),
          "import items",
          { raw: { body: upload.body, length: upload.length } },
        );
        upload.done();
        if (ctx.json) printObject(ctx.io, true, result);
        else ctx.io.out(`imported ${result.created} items into store ${storeId}`);
      } catch (err) {
        upload.done();
        const rejected =
          err instanceof ApiError && err.status === 422 ? rejectedRows(err.detail, labels) : null;
        if (!rejected) throw err;
        const count = new Set(rejected.map((r) => r.row)).size;
        ctx.io.err(`rejected ${count} of ${rows.length} rows; nothing was imported`);
        printRows(ctx.io, ctx.json, rejected as never[], ["row", "field", "problem"]);
        throw new ImportRejected();
      }
    });
  return cmd;
}

/** The rows were reported already; only the exit status remains. */
export class ImportRejected extends Error {}

interface Task {
  id: string;
  status: string;
  is_ready: boolean;
  date: string;
  train_number: number | null;
  user_id: string;
  purchase: { total_penny?: number; items: { name: string; count: number }[] };
}

export function tasksCommand(deps: Deps): Command {
  const cmd = new Command("tasks").description("a store's fulfilment tasks: list, mark ready");

  cmd
    .command("list")
    .description("a store's pending tasks, oldest first (--all: ready ones too)")
    .argument("<store-id>")
    .option("--all", "include ready tasks")
    .action(async (storeId: string, o: { all?: boolean }, c: Command) => {
      const ctx = contextOf(deps, c);
      const tasks = await allPages((page) =>
        ctx.api.request<Page<Task>>(
          "GET",
          ctx.api.store(`/admin/store/${encodeURIComponent(storeId)}/tasks`),
          "list tasks",
          { query: { page, size: 100, also_ready_tasks: o.all ? "true" : undefined } },
        ),
      );
      if (ctx.json) return printRows(ctx.io, true, tasks as never[], []);
      printRows(
        ctx.io,
        false,
        tasks.map((t) => ({
          ...t,
          items: t.purchase.items.map((i) => `${i.count}× ${i.name}`).join(", "),
          train: t.train_number,
        })),
        ["id", "status", "date", "train", "items"],
      );
    });

  cmd
    .command("ready")
    .description("mark tasks of a store ready for delivery")
    .argument("<store-id>")
    .argument("<task-id...>")
    .action(async (storeId: string, taskIds: string[], _o, c: Command) => {
      const ctx = contextOf(deps, c);
      const done = [];
      for (const id of taskIds) {
        await ctx.api.request(
          "PUT",
          ctx.api.store(`/admin/store/${encodeURIComponent(storeId)}/task/${encodeURIComponent(id)}/ready`),
          `mark task ${id} ready`,
        );
        done.push({ id, status: "ready" });
      }
      printRows(ctx.io, ctx.json, done, ["id", "status"]);
    });
  return cmd;
}
