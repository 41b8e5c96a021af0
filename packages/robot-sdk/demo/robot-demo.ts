/**
 * `pnpm robot:demo`: a robot's working day against the running stack, through nginx, with the robot SDK.
 *
 * The passenger is the demo railway's own (`scripts/stack seed` enrols their face from a sample photo; the robot's
 * camera sees another shot of it). Everything else it needs it creates through the admin APIs (an engineer with an
 * RFID card, a train with a run in progress, two tickets for that passenger on it, a hotel and an attraction at
 * the destination, a shop bound to the run with one item), plays the robot (and, for the order, the shop's
 * terminal), prints a step log with timings, deletes everything it created (the seeded passenger is only read),
 * and exits 0 only if every step behaved as expected.
 *
 * Environment: RAIL_PUBLIC_URL (default http://localhost:8080), BOOTSTRAP_ENGINEER_LOGIN / _PASSWORD (defaults
 * from .env.example, overlaid by .env).
 */
import { constants, generateKeyPairSync, privateDecrypt, randomInt, randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { loadStackEnv } from "@rail/common/testing";
import { RobotClient, type Task } from "../src/index.js";

const ENV: Record<string, string | undefined> = { ...loadStackEnv(), ...process.env };
const ENTRY = (ENV.RAIL_PUBLIC_URL ?? "http://localhost:8080").replace(/\/+$/, "");
const BASE = `${ENTRY}/base_api/v1`;
const STORE = `${ENTRY}/store_api/v1`;
const ENGINEER = {
  login: ENV.BOOTSTRAP_ENGINEER_LOGIN ?? "admin",
  password: ENV.BOOTSTRAP_ENGINEER_PASSWORD ?? "",
};

// The seeded face passenger and a camera frame of their sample photo (packages/ops/src/seed).
const SEED_SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../ops/src/seed");
type SeedData = { FACE_PASSENGER: string };
type SeedFacePhoto = { cameraFrame: () => Promise<Buffer> };
const seedModule = async <T>(file: string) =>
  (await import(/* @vite-ignore */ pathToFileURL(path.join(SEED_SRC, file)).href)) as T;

class StepFailed extends Error {}

function expectThat(condition: unknown, what: string): asserts condition {
  if (!condition) throw new StepFailed(what);
}

/** Admin / terminal calls (the SDK covers robot routes only). Non-2xx → StepFailed with the server's detail. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked by each step
async function call<T = any>(method: string, url: string, token?: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!res.ok)
    throw new StepFailed(`${method} ${url.replace(ENTRY, "")} → ${res.status} ${text.slice(0, 300)}`);
  return json as T;
}

const steps: { name: string; ms: number; ok: boolean; note: string }[] = [];

async function step<T>(name: string, fn: () => Promise<T>, note?: (value: T) => string): Promise<T> {
  const started = performance.now();
  try {
    const value = await fn();
    const ms = performance.now() - started;
    const text = note ? note(value) : "";
    steps.push({ name, ms, ok: true, note: text });
    console.log(`  ✓ ${name.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms${text ? `  ${text}` : ""}`);
    return value;
  } catch (err) {
    const ms = performance.now() - started;
    const text = err instanceof Error ? err.message : String(err);
    steps.push({ name, ms, ok: false, note: text });
    console.log(`  ✗ ${name.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms  ${text}`);
    throw err;
  }
}

/** Undo actions, run in reverse order at the end whatever happened. */
const cleanup: { what: string; run: () => Promise<unknown> }[] = [];
const undo = (what: string, run: () => Promise<unknown>) => cleanup.push({ what, run });

async function terminalLogin(storeId: string, admin: { login: string; password: string }) {
  const keys = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  await call("POST", `${BASE}/auth/store/new_login`, undefined, {
    ...admin,
    public_key: keys.publicKey,
    store_id: storeId,
  });
  const challenge = await call("POST", `${BASE}/auth/store/login`, undefined, { id: storeId });
  const data = privateDecrypt(
    { key: keys.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
    Buffer.from(challenge.data, "base64"),
  ).toString("utf8");
  return (
    await call("POST", `${BASE}/auth/store/login_code`, undefined, { request_id: challenge.request_id, data })
  ).token as string;
}

/** Every item of a paged admin list. */
async function allItems<T>(url: string, token: string): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const res = await call<{ items: T[]; pages: number }>(
      "GET",
      `${url}${url.includes("?") ? "&" : "?"}page=${page}&size=100`,
      token,
    );
    items.push(...res.items);
    if (page >= res.pages) return items;
  }
}

/**
 * Removes what an interrupted earlier demo run left behind, recognised by the names this script gives its data
 * (`robot-demo-<tag>`, `Demo <tag>` trains 50000-59999, `Demo Passenger <tag>`, `Demo hotel|attraction|kiosk <tag>`),
 * never anything else.
 */
async function sweepLeftovers(admin: string): Promise<number> {
  const tag = "[0-9a-f]{8}";
  let removed = 0;
  const del = async (url: string, body?: unknown) => {
    await call("DELETE", url, admin, body);
    removed++;
  };
  const trains = (
    await call<{ number: number; name: string }[]>("GET", `${BASE}/admin/trains`, admin)
  ).filter((t) => new RegExp(`^Demo ${tag}$`).test(t.name) && t.number >= 50_000 && t.number < 60_000);
  if (trains.length) {
    const numbers = new Set(trains.map((t) => t.number));
    const tickets = await allItems<{ id: string; train_number: number }>(`${BASE}/admin/tickets`, admin);
    for (const t of tickets.filter((t) => numbers.has(t.train_number)))
      await del(`${BASE}/admin/ticket/${t.id}`);
    for (const train of trains) {
      const runs = await allItems<{ id: string }>(`${BASE}/admin/runs?train_number=${train.number}`, admin);
      for (const r of runs) await del(`${BASE}/admin/runs/${r.id}`);
      await del(`${BASE}/admin/trains/${train.number}`);
    }
  }
  for (const u of await allItems<{ id: string; name: string }>(`${BASE}/admin/users`, admin)) {
    if (new RegExp(`^Demo Passenger ${tag}$`).test(u.name)) await del(`${BASE}/admin/users/${u.id}`);
  }
  for (const e of await allItems<{ id: string; login: string }>(`${BASE}/admin/engineers`, admin)) {
    if (new RegExp(`^robot-demo-${tag}$`).test(e.login)) await del(`${BASE}/admin/engineers/${e.id}`);
  }
  for (const r of await allItems<{ id: string; robot_model_id: string }>(`${BASE}/admin/robots`, admin)) {
    if (new RegExp(`^robot-demo-${tag}$`).test(r.robot_model_id)) await del(`${BASE}/admin/robots/${r.id}`);
  }
  for (const kind of ["hotel", "attraction"] as const) {
    const places = await allItems<{ id: string; name: string }>(
      `${BASE}/admin/destination/MOSCOW/${kind}s`,
      admin,
    );
    for (const p of places.filter((p) => new RegExp(`^Demo ${kind} ${tag}$`).test(p.name))) {
      await del(`${BASE}/admin/destination_info/${kind}/${p.id}`);
    }
  }
  for (const st of await allItems<{ id: string; name: string }>(`${STORE}/admin/stores`, admin)) {
    if (!new RegExp(`^Demo kiosk ${tag}$`).test(st.name)) continue;
    await del(`${BASE}/admin/store_terminals/${st.id}`);
    await del(`${STORE}/admin/store/${st.id}`);
  }
  return removed;
}

async function main(): Promise<number> {
  console.log(`Robot demo against ${ENTRY}`);
  const tag = randomUUID().slice(0, 8);
  const { FACE_PASSENGER } = await seedModule<SeedData>("data.ts");
  const cameraFrame = await (await seedModule<SeedFacePhoto>("face-photo.ts")).cameraFrame();

  // ---- The railway's side: what an engineer sets up ----
  const admin = await step(
    "engineer logs in",
    async () => (await call("POST", `${BASE}/auth/engineer/login`, undefined, ENGINEER)).token as string,
  );
  await step(
    "leftovers of interrupted demo runs removed",
    () => sweepLeftovers(admin),
    (n) => (n ? `${n} deleted` : "none"),
  );
  const credentials = await step("robot enrolled by the engineer", () =>
    RobotClient.enrol({
      baseApiUrl: BASE,
      engineerLogin: ENGINEER.login,
      engineerPassword: ENGINEER.password,
      robotModelId: `robot-demo-${tag}`,
      robotModelName: "DemoRobot:1.0.0:001",
    }),
  );
  undo("robot", () => call("DELETE", `${BASE}/admin/robots/${credentials.robotId}`, admin));
  const robot = new RobotClient({ baseApiUrl: BASE, storeApiUrl: STORE, credentials, timeoutMs: 60_000 });
  await step("robot logs in by challenge", () => robot.login());
  const cardKey = `0xDE 0x${randomInt(16, 255).toString(16).toUpperCase()} 0x${tag.slice(0, 2).toUpperCase()} 0x01`;
  await step("engineer with an RFID card", async () => {
    const eng = await call("POST", `${BASE}/admin/engineer`, admin, {
      login: `robot-demo-${tag}`,
      password: randomUUID(),
      privileges: ["ROBOT_ADMIN"],
    });
    undo("engineer", () => call("DELETE", `${BASE}/admin/engineers/${eng.id}`, admin));
    await call("PUT", `${BASE}/admin/engineer/${eng.id}/auth_card`, admin, { key: cardKey });
  });
  const trainNumber = randomInt(50_000, 59_999);
  // A run that left SPB half an hour ago: in progress, so robots and shops have a current trip.
  const departure = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 30 * 60_000);
  const run = await step(
    "train SPB → MOSCOW with a run in progress",
    async () => {
      await call("POST", `${BASE}/admin/trains`, admin, {
        number: trainNumber,
        name: `Demo ${tag}`,
        stops: [
          { station_id: "SPB", arrival_minutes: 0, departure_minutes: 0 },
          { station_id: "MOSCOW", arrival_minutes: 240, departure_minutes: 240 },
        ],
        wagons: [{ number: 3, class: "economy", seats: 40 }],
      });
      undo("train", () => call("DELETE", `${BASE}/admin/trains/${trainNumber}`, admin));
      const created = await call("POST", `${BASE}/admin/runs`, admin, {
        train_number: trainNumber,
        departure: departure.toISOString(),
      });
      const r = (Array.isArray(created) ? created[0] : (created.items?.[0] ?? created)) as {
        id?: string;
        run_id?: string;
      };
      const runId = (r.run_id ?? r.id)!;
      undo("run", () => call("DELETE", `${BASE}/admin/runs/${runId}`, admin));
      return { runId };
    },
    () => `train ${trainNumber}, departed ${departure.toISOString()}`,
  );
  const passenger = await step(
    "seeded passenger recognised by the camera",
    async () => {
      const seeded = (await allItems<{ id: string; name: string }>(`${BASE}/admin/users`, admin)).find(
        (u) => u.name === FACE_PASSENGER,
      );
      expectThat(seeded, `no passenger "${FACE_PASSENGER}": run scripts/stack seed first`);
      const seen = await robot.identify(cameraFrame.toString("base64"));
      expectThat(seen?.id === seeded.id, `the camera frame is ${FACE_PASSENGER} (enrolled by the seed)`);
      return seeded;
    },
    (u) => u.name,
  );
  const tickets = await step("two tickets for the passenger", async () => {
    const out: { id: string }[] = [];
    for (const seat of [11, 12]) {
      const t = await call("POST", `${BASE}/admin/ticket`, admin, {
        user_id: passenger.id,
        run_id: run.runId,
        train_number: trainNumber,
        wagon_number: 3,
        place_number: seat,
        station_id: "SPB",
        destination: "MOSCOW",
        date: departure.toISOString(),
        start_date: departure.toISOString(),
      });
      undo(`ticket ${seat}`, () => call("DELETE", `${BASE}/admin/ticket/${t.id}`, admin));
      out.push(t);
    }
    return out;
  });
  await step("hotel and attraction in MOSCOW", async () => {
    for (const kind of ["hotel", "attraction"] as const) {
      const place = await call("POST", `${BASE}/admin/destination/MOSCOW/${kind}`, admin, {
        name: `Demo ${kind} ${tag}`,
        description: "Created by the robot demo",
        logo_url: "/static/logo.png",
      });
      undo(kind, () => call("DELETE", `${BASE}/admin/destination_info/${kind}/${place.id}`, admin));
    }
  });
  const shop = await step("shop on the run with one item", async () => {
    const store = await call("POST", `${STORE}/admin/store`, admin, {
      name: `Demo kiosk ${tag}`,
      description: "Tea and souvenirs",
      logo_url: "/static/kiosk.png",
      store_type: "SHOP",
    });
    undo("shop", () => call("DELETE", `${STORE}/admin/store/${store.id}`, admin));
    await call("POST", `${BASE}/admin/store/${store.id}/train`, admin, {
      train_number: trainNumber,
      train_date: departure.toISOString(),
    });
    undo("shop binding", () =>
      call("DELETE", `${BASE}/admin/store/${store.id}/train/unbind`, admin, {
        train_number: trainNumber,
        train_date: departure.toISOString(),
      }),
    );
    const terminal = await terminalLogin(store.id, ENGINEER);
    undo("shop terminal", () => call("DELETE", `${BASE}/admin/store_terminals/${store.id}`, admin));
    const item = await call("POST", `${STORE}/store/item`, terminal, {
      name: "Tea",
      description: "Black tea in a glass holder",
      logo_url: "/static/tea.png",
      balance: 5,
      price_penny: 15000,
      category: "food",
    });
    return { storeId: store.id as string, itemId: item.id as string, terminal };
  });

  // ---- The robot's day ----
  await step("RFID card unlocks the admin panel", async () => {
    const engineer = await robot.adminAccess(cardKey);
    expectThat(engineer.login === `robot-demo-${tag}`, `card opened for ${engineer.login}`);
    const stranger = await robot.adminAccess("0x00 0x00 0x00 0x00").catch((e: { status?: number }) => e);
    expectThat((stranger as { status?: number }).status === 403, "an unknown card must be refused (403)");
  });
  const at = { stationId: "SPB", trainNumber, wagonNumber: 3, date: departure };
  await step("ticket by QR code (signed code)", async () => {
    const { signed_code } = await call("GET", `${BASE}/admin/ticket/${tickets[0]!.id}/signed_code`, admin);
    const ticket = await robot.validateTicket({ ...at, code: signed_code });
    expectThat(ticket.id === tickets[0]!.id, "the code's ticket boards");
    const again = await robot.validateTicket({ ...at, code: signed_code }).catch((e: Error) => e);
    expectThat(
      again instanceof Error && again.message.includes("Ticket already used"),
      "a second use is refused",
    );
  });
  await step("ticket by face", async () => {
    const ticket = await robot.validateTicket({ ...at, face: cameraFrame.toString("base64") });
    expectThat(
      ticket.id === tickets[1]!.id && ticket.user_id === passenger.id,
      "the passenger's other ticket boards",
    );
  });
  const who = await step(
    "identify the passenger",
    async () => {
      const user = await robot.identify(cameraFrame.toString("base64"), {
        trainNumber,
        trainDate: departure,
      });
      expectThat(user?.id === passenger.id, "the camera frame is the enrolled passenger");
      return user!;
    },
    (u) => u.name,
  );
  await step(
    "destination's hotels and attractions",
    async () => {
      const destination = await robot.determineDestination(who.id, trainNumber, departure);
      expectThat(destination === "MOSCOW", `destination ${destination}`);
      const [hotels, attractions] = await Promise.all([
        robot.hotels(destination),
        robot.attractions(destination),
      ]);
      expectThat(
        hotels.items.some((h) => h.name === `Demo hotel ${tag}`),
        "our hotel is listed",
      );
      expectThat(
        attractions.items.some((a) => a.name === `Demo attraction ${tag}`),
        "our attraction is listed",
      );
      return { hotels: hotels.total, attractions: attractions.total };
    },
    (n) => `${n.hotels} hotels, ${n.attractions} attractions`,
  );
  const stores = await step(
    "the train's stores",
    async () => {
      const ids = (await robot.trainStores(trainNumber)).items;
      expectThat(ids.includes(shop.storeId), "the shop bound to the run is listed");
      return robot.storesList(ids);
    },
    (s) => s.map((x) => x.name).join(", "),
  );
  expectThat(stores.length > 0, "stores listed");
  const purchase = await step("buy tea with an idempotency key (and retry)", async () => {
    const key = randomUUID();
    const order = {
      user_id: passenger.id,
      items: [{ item_id: shop.itemId, count: 1 }],
      train_number: trainNumber,
    };
    const first = await robot.makePurchase(shop.storeId, order, key);
    const retry = await robot.makePurchase(shop.storeId, order, key);
    expectThat(retry.id === first.id, "the retry returns the first purchase");
    const item = (await robot.store(shop.storeId))?.items?.find((i) => i.id === shop.itemId);
    expectThat(item?.balance === 4, `one tea sold, not two (balance ${item?.balance})`);
    return first;
  });
  const task = await step("wait until the order is ready", async () => {
    const pending = (await call("GET", `${STORE}/store/tasks?page=1&size=50`, shop.terminal)).items as Task[];
    const mine = pending.find((t) => t.purchase.id === purchase.id);
    expectThat(mine, "the shop sees the order");
    setTimeout(() => void call("PUT", `${STORE}/store/task/${mine.id}/ready`, shop.terminal), 300);
    return robot.waitForReadyTask(trainNumber, (t) => t.purchase.id === purchase.id, {
      storeId: shop.storeId,
      timeoutMs: 60_000,
      intervalMs: 200,
    });
  });
  await step("deliver the order", async () => {
    const delivered = await robot.markDelivered(task.id);
    expectThat(delivered.status === "delivered", `status ${delivered.status}`);
  });
  return 0;
}

async function runCleanup(): Promise<boolean> {
  let ok = true;
  for (const { what, run } of cleanup.reverse()) {
    try {
      await run();
    } catch (err) {
      ok = false;
      console.log(`  ! could not delete ${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return ok;
}

const started = performance.now();
let code = 1;
try {
  code = await main();
} catch (err) {
  if (!(err instanceof StepFailed) && !steps.some((s) => !s.ok)) console.error(err);
  code = 1;
}
const cleaned = await runCleanup();
const total = ((performance.now() - started) / 1000).toFixed(1);
const failed = steps.filter((s) => !s.ok).length;
console.log(
  `${code === 0 && cleaned ? "Robot demo passed" : "Robot demo FAILED"}: ${steps.length - failed} steps ok, ` +
    `${failed} failed, ${total} s; created data ${cleaned ? "deleted" : "NOT fully deleted"}`,
);
process.exit(code === 0 && cleaned ? 0 : 1);
