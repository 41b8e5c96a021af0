/**
 * The demo railway, through the public APIs as the bootstrap engineer. Idempotent: everything is found by a
 * natural key first (station id, train number, run departure, store/engineer/passenger name, key files in the
 * seed directory) and only what is missing is created; nothing the seed did not create is changed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { allPages, type Api, ApiError, type Page } from "../api.js";
import type { Credentials } from "../credentials.js";
import { keyLogin, newKeyPair, writePrivateKey } from "../keys.js";
import {
  DEMO_PASSENGER_NAME,
  ENGINEERS,
  FACE_PASSENGER,
  PASSENGERS,
  PLACES,
  RUN_EVERY_HOURS,
  RUNS_AHEAD_HOURS,
  RUNS_BACK_HOURS,
  STATIONS,
  storesFor,
  TRAINS,
} from "./data.js";

export interface SeedOptions {
  api: Api;
  /** The engineer enrolments are made with (the API takes login and password for them). */
  credentials: Credentials;
  /** Where key files and the seed's own state live (git-ignored: .stack/seed). */
  dir: string;
  engineerPassword: string;
  /** Keycloak admin access, to find the demo passenger's subject; without it that passenger is skipped. */
  keycloak?: { url: string; realm: string; adminUser: string; adminPassword: string; demoUsername: string };
  now?: Date;
  /** The sample photo enrolled as FACE_PASSENGER's face; without it that passenger has no face. */
  facePhoto?: () => Promise<Buffer>;
  log: (message: string) => void;
}

interface Run {
  id: string;
  train_number: number;
  departure: string;
}
interface Store {
  id: string;
  name: string;
  items?: unknown[];
}
interface User {
  id: string;
  name: string;
}
interface Ticket {
  id: string;
  user_id: string;
  train_number: number;
  start_date: string;
}
interface State {
  demoUserId?: string;
  robotId?: string;
  /** The store whose terminal key is terminal.pem (a terminal's id is its store's id). */
  terminalStoreId?: string;
  /** When the seed last completed (scripts/stack up tops the timetable up when this is old). */
  lastRun?: string;
}

const HOUR = 3600_000;
const ok409 = async <T>(call: () => Promise<T>): Promise<T | "exists"> => {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) return "exists";
    throw err;
  }
};
const listOrPage = async <T>(
  api: Api,
  url: string,
  what: string,
  query: Record<string, string | number> = {},
) => {
  const first = await api.request<T[] | Page<T>>("GET", url, what, {
    query: { ...query, page: 1, size: 100 },
  });
  if (Array.isArray(first)) return first;
  return allPages((page) =>
    page === 1
      ? Promise.resolve(first)
      : api.request<Page<T>>("GET", url, what, { query: { ...query, page, size: 100 } }),
  );
};

/** Departures on a fixed grid (every RUN_EVERY_HOURS, UTC), so repeated seeds find the same instants. */
export function departureGrid(now: Date): Date[] {
  const step = RUN_EVERY_HOURS * HOUR;
  const first = Math.floor((now.getTime() - RUNS_BACK_HOURS * HOUR) / step) * step;
  const out: Date[] = [];
  for (let t = first; t <= now.getTime() + RUNS_AHEAD_HOURS * HOUR; t += step) out.push(new Date(t));
  return out;
}

export async function seedDemo(opts: SeedOptions): Promise<void> {
  const { api, log } = opts;
  const now = opts.now ?? new Date();
  mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  const stateFile = path.join(opts.dir, "state.json");
  const state: State = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, "utf8")) : {};
  const saveState = () => writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  /** Key files as the repository sees them (.stack/seed/…), wherever the seed runs from. */
  const shown = (file: string) => path.relative(path.resolve(opts.dir, "../.."), file);
  const step = async (name: string, fn: () => Promise<string>) => {
    const started = Date.now();
    const summary = await fn();
    log(`${name}: ${summary} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
  };

  // --- stations, trains, runs -------------------------------------------------------------------------------
  await step("stations", async () => {
    const have = new Set(
      (await listOrPage<{ id: string }>(api, api.base("/timetable/stations"), "list stations")).map(
        (s) => s.id,
      ),
    );
    const missing = STATIONS.filter((s) => !have.has(s.id));
    for (const s of missing)
      await ok409(() => api.request("POST", api.base("/admin/stations"), "create station", { body: s }));
    return `${STATIONS.length} (${missing.length} new)`;
  });
  await step("trains", async () => {
    let created = 0;
    for (const t of TRAINS) {
      try {
        await api.request("GET", api.base(`/admin/trains/${t.number}`), "get train");
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 404)) throw err;
        await api.request("POST", api.base("/admin/trains"), "create train", { body: t });
        created++;
      }
    }
    return `${TRAINS.length} (${created} new)`;
  });
  const grid = departureGrid(now);
  const runs = new Map<number, Run[]>();
  await step("runs", async () => {
    let created = 0;
    const window = { from: grid[0]!.toISOString(), to: new Date(grid.at(-1)!.getTime() + 1).toISOString() };
    for (const t of TRAINS) {
      const list = () =>
        listOrPage<Run>(api, api.base("/admin/runs"), "list runs", { train_number: t.number, ...window });
      const have = new Set((await list()).map((r) => new Date(r.departure).getTime()));
      const missing = grid.filter((d) => !have.has(d.getTime())).map((d) => d.toISOString());
      if (missing.length) {
        await api.request("POST", api.base("/admin/runs"), "create runs", {
          body: { train_number: t.number, departures: missing },
        });
        created += missing.length;
      }
      runs.set(
        t.number,
        (await list()).sort((a, b) => a.departure.localeCompare(b.departure)),
      );
    }
    return `${grid.length} per train, every ${RUN_EVERY_HOURS} h from ${grid[0]!.toISOString()} (${created} new)`;
  });
  /** The run under way now (latest departure not after now), and the next one. */
  const currentAndNext = (train: number) => {
    const list = runs.get(train) ?? [];
    const current = list.filter((r) => new Date(r.departure) <= now).at(-1);
    const next = list.find((r) => new Date(r.departure) > now);
    return [current, next].filter((r): r is Run => r !== undefined);
  };

  // --- stores, items, bindings --------------------------------------------------------------------------------
  const stores = new Map<string, Store>();
  await step("stores", async () => {
    const existing = await listOrPage<Store>(api, api.store("/admin/stores"), "list stores");
    let createdStores = 0;
    let importedItems = 0;
    for (const t of TRAINS) {
      for (const s of storesFor(t.number)) {
        let store = existing.find((e) => e.name === s.name);
        if (!store) {
          const { items: _items, ...body } = s;
          store = await api.request<Store>("POST", api.store("/admin/store"), "create store", { body });
          createdStores++;
        }
        stores.set(s.name, store);
        const full = await api.request<Store>("GET", api.store(`/admin/store/${store.id}`), "get store");
        if (!full.items?.length) {
          await api.request("POST", api.store(`/admin/store/${store.id}/items/import`), "import items", {
            body: { items: s.items },
          });
          importedItems += s.items.length;
        }
      }
    }
    return `${stores.size} (${createdStores} new), ${importedItems} items imported`;
  });
  await step("store bindings", async () => {
    let bound = 0;
    for (const t of TRAINS)
      for (const s of storesFor(t.number)) {
        const store = stores.get(s.name)!;
        for (const run of runs.get(t.number) ?? []) {
          const r = await ok409(() =>
            api.request("POST", api.base(`/admin/store/${store.id}/train`), "bind store", {
              body: { train_number: t.number, train_date: run.departure },
            }),
          );
          if (r !== "exists") bound++;
        }
      }
    return `every store to every run of its train (${bound} calls accepted)`;
  });

  // --- hotels and attractions ---------------------------------------------------------------------------------
  await step("hotels and attractions", async () => {
    let created = 0;
    for (const [destination, places] of Object.entries(PLACES))
      for (const [kind, plural, list] of [
        ["hotel", "hotels", places.hotels],
        ["attraction", "attractions", places.attractions],
      ] as const) {
        const have = new Set(
          (
            await listOrPage<{ name: string }>(
              api,
              api.base(`/admin/destination/${destination}/${plural}`),
              `list ${plural}`,
            )
          ).map((p) => p.name),
        );
        for (const [name, description] of list) {
          if (have.has(name!)) continue;
          await api.request("POST", api.base(`/admin/destination/${destination}/${kind}`), `create ${kind}`, {
            body: { name, description, logo_url: `/static/demo/${kind}.svg` },
          });
          created++;
        }
      }
    return `${created} new`;
  });

  // --- engineers ----------------------------------------------------------------------------------------------
  await step("engineers", async () => {
    const have = await listOrPage<{ id: string; login: string }>(
      api,
      api.base("/admin/engineers"),
      "list engineers",
    );
    let created = 0;
    for (const e of ENGINEERS) {
      let engineer = have.find((h) => h.login === e.login);
      if (!engineer) {
        engineer = await api.request<{ id: string; login: string }>(
          "POST",
          api.base("/admin/engineer"),
          "create engineer",
          {
            body: { login: e.login, password: opts.engineerPassword, privileges: e.privileges },
          },
        );
        created++;
        if (e.card)
          await ok409(() =>
            api.request("PUT", api.base(`/admin/engineer/${engineer!.id}/auth_card`), "set card", {
              body: { key: e.card },
            }),
          );
      }
    }
    return `${ENGINEERS.map((e) => e.login).join(", ")} (${created} new; password from DEMO_ENGINEER_PASSWORD)`;
  });

  // --- demo robot and store terminal (private keys only in the seed directory) --------------------------------
  const robotKeyFile = path.join(opts.dir, "robot.pem");
  let robotToken = "";
  await step("demo robot", async () => {
    if (state.robotId && existsSync(robotKeyFile)) {
      try {
        robotToken = await keyLogin(api, "robot", state.robotId, readFileSync(robotKeyFile, "utf8"));
        return `${state.robotId} (key ${shown(robotKeyFile)})`;
      } catch {
        /* deleted or key lost: enrol again */
      }
    }
    const keys = newKeyPair();
    const robot = await api.request<{ id: string }>(
      "POST",
      api.base("/auth/robot/new_login"),
      "enrol demo robot",
      {
        auth: false,
        body: {
          ...opts.credentials,
          public_key: keys.publicKey,
          robot_model_id: "DEMO-ROBOT-1",
          robot_model_name: "Demo:1.0",
        },
      },
    );
    writePrivateKey(robotKeyFile, keys.privateKey, true);
    state.robotId = robot.id;
    saveState();
    robotToken = await keyLogin(api, "robot", robot.id, keys.privateKey);
    return `${robot.id} enrolled (key ${shown(robotKeyFile)})`;
  });
  // Robots check signed ticket codes offline with these keys; base makes its first key on first use, so a fresh
  // railway publishes it now rather than during somebody's first ticket check.
  await step("ticket signing key", async () => {
    const { keys } = await api.request<{ keys: { kid: string; status: string }[] }>(
      "GET",
      api.base("/admin/ticket_keys"),
      "ticket signing keys",
    );
    const current = keys.find((k) => k.status === "current");
    return current ? `current key ${current.kid}` : "no current key";
  });
  const shop = stores.get(storesFor(TRAINS[0]!.number)[1]!.name)!;
  await step("demo store terminal", async () => {
    const keyFile = path.join(opts.dir, "terminal.pem");
    if (state.terminalStoreId !== shop.id) {
      state.terminalStoreId = shop.id;
      saveState();
    }
    if (existsSync(keyFile)) {
      try {
        await keyLogin(api, "store", shop.id, readFileSync(keyFile, "utf8"));
        return `${shop.name} (key ${shown(keyFile)})`;
      } catch {
        /* enrol again */
      }
    }
    const keys = newKeyPair();
    await api.request("POST", api.base("/auth/store/new_login"), "enrol demo terminal", {
      auth: false,
      body: { ...opts.credentials, public_key: keys.publicKey, store_id: shop.id },
    });
    writePrivateKey(keyFile, keys.privateKey, true);
    return `${shop.name} enrolled (key ${shown(keyFile)})`;
  });

  // --- passengers with tickets ---------------------------------------------------------------------------------
  const train = TRAINS[0]!;
  const tickets = await listOrPage<Ticket>(api, api.base("/admin/tickets"), "list tickets");
  const ensureTicket = async (userId: string, run: Run, place: number) => {
    if (
      tickets.some(
        (t) => t.user_id === userId && new Date(t.start_date).getTime() === new Date(run.departure).getTime(),
      )
    )
      return 0;
    const r = await ok409(() =>
      api.request("POST", api.base("/admin/ticket"), "create ticket", {
        body: {
          user_id: userId,
          run_id: run.id,
          wagon_number: 3,
          place_number: place,
          station_id: train.stops[0]!.station_id,
          destination: train.stops.at(-1)!.station_id,
        },
      }),
    );
    return r === "exists" ? 0 : 1;
  };
  await step("passengers", async () => {
    const users = await listOrPage<User>(api, api.base("/admin/users"), "list passengers");
    let created = 0;
    let sold = 0;
    for (const [i, name] of PASSENGERS.entries()) {
      let user = users.find((u) => u.name === name);
      if (!user) {
        user = await api.request<User>("POST", api.base("/admin/user"), "create passenger", {
          body: { name },
        });
        created++;
      }
      for (const [j, run] of currentAndNext(train.number).entries())
        sold += await ensureTicket(user.id, run, 10 + i * 2 + j);
    }
    return `${PASSENGERS.length} (${created} new), ${sold} tickets sold on the current and next run of ${train.number}`;
  });
  await step("passenger face", async () => {
    if (!opts.facePhoto) return "skipped (no sample photo)";
    const user = (await listOrPage<User>(api, api.base("/admin/users"), "list passengers")).find(
      (u) => u.name === FACE_PASSENGER,
    )!;
    const enrolled = await api.request<{ status: boolean }>(
      "GET",
      `${api.publicUrl}/face_api/v1/check/${user.id}`,
      "check passenger face",
    );
    if (enrolled.status) return `${FACE_PASSENGER}: already enrolled`;
    await api.request("PATCH", api.base(`/admin/user/${user.id}/face`), "enrol passenger face", {
      body: { face: (await opts.facePhoto()).toString("base64") },
    });
    return `${FACE_PASSENGER}: enrolled from the sample photo`;
  });

  // --- the Keycloak demo passenger: an upcoming and a current ticket and an order ------------------------------
  await step("demo passenger", async () => {
    if (!opts.keycloak) return "skipped (no Keycloak admin access)";
    const kc = opts.keycloak;
    const form = new URLSearchParams({
      grant_type: "password",
      client_id: "admin-cli",
      username: kc.adminUser,
      password: kc.adminPassword,
    });
    const tokenRes = await fetch(`${kc.url}/realms/master/protocol/openid-connect/token`, {
      method: "POST",
      body: form,
    });
    if (!tokenRes.ok) return `skipped (Keycloak admin login: ${tokenRes.status})`;
    const adminToken = ((await tokenRes.json()) as { access_token: string }).access_token;
    const usersRes = await fetch(
      `${kc.url}/admin/realms/${kc.realm}/users?exact=true&username=${encodeURIComponent(kc.demoUsername)}`,
      { headers: { Authorization: `Bearer ${adminToken}` } },
    );
    const kcUser = ((await usersRes.json()) as { id: string }[])[0];
    if (!kcUser) return `skipped (no Keycloak user ${kc.demoUsername})`;
    let userId = state.demoUserId;
    if (userId) {
      const users = await listOrPage<User>(api, api.base("/admin/users"), "list passengers");
      if (!users.some((u) => u.id === userId)) userId = undefined;
    }
    if (!userId) {
      const user = await api.request<User>("POST", api.base("/admin/user"), "create passenger", {
        body: { name: DEMO_PASSENGER_NAME },
      });
      const linked = await ok409(() =>
        api.request("POST", api.base("/admin/keycloak_user"), "link Keycloak user", {
          body: { k_id: kcUser.id, user_id: user.id },
        }),
      );
      if (linked === "exists") {
        await api.request("DELETE", api.base(`/admin/users/${user.id}`), "delete passenger");
        return `skipped (${kc.demoUsername} signed in before the seed ran: already has its own passenger)`;
      }
      userId = user.id;
      state.demoUserId = userId;
      saveState();
    }
    let sold = 0;
    const [current, next] = currentAndNext(train.number);
    for (const [j, run] of [current, next].entries()) if (run) sold += await ensureTicket(userId, run, 1 + j);
    // An order from the dining car on the current trip (the idempotency key makes it once per trip).
    const diner = stores.get(storesFor(train.number)[0]!.name)!;
    const menu = await api.request<{ items: { id: string; name: string }[] }>(
      "GET",
      api.store(`/admin/store/${diner.id}`),
      "get store",
    );
    const tea = menu.items.find((i) => i.name.startsWith("Чай"));
    if (tea && current && robotToken)
      await api.request("POST", api.store(`/robot/store/${diner.id}/make_purchase`), "demo order", {
        auth: robotToken,
        headers: { "Idempotency-Key": `seed-demo-order-${current.id}` },
        body: {
          user_id: userId,
          items: [{ item_id: tea.id, count: 2 }],
          is_default_ready: false,
          train_number: train.number,
        },
      });
    return `${kc.demoUsername} → passenger ${userId}, ${sold} tickets sold, an order in ${diner.name}`;
  });
  state.lastRun = now.toISOString();
  saveState();
}
