/**
 * The engineer console (/console/) and the store-staff terminal (/terminal/) in headless Chromium through nginx:
 * an engineer signs in (Russian), creates a store, imports an item, binds the store to a run picked from a list;
 * a browser becomes the store's terminal (WebCrypto key pair, enrolment, challenge login), a robot's purchase
 * appears in its queue without a reload, staff marks it ready; the engineer adds, edits and deletes an item with
 * a picture, adds a hotel at a picked station with an uploaded picture (served back through nginx), enrols a
 * passenger's face from a sample photo and test-verifies photos; the console switches to English and does it
 * again. Screenshots go to packages/e2e/artifacts/screenshots/. Everything created is deleted afterwards.
 */
import { existsSync, mkdirSync } from "node:fs";
import { generateKeyPairSync, randomBytes, randomInt, randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, ENTRY, ENV, STORE, call, engineerToken, enrolAndLogin, type Reply } from "./support.js";

const SITE = (ENV.RAIL_PUBLIC_URL ?? "http://localhost:8080").replace(/\/$/, "");
const CHROMIUM = ENV.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../artifacts/screenshots");
// Photos come from the face service's own fixtures (crops of the face-api sample photos). Bella is enrolled by
// no other suite (web-app: carol, robot journey: erin, demo: fiona); dana only stands for "someone else".
const FACE_IMAGES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../services/face/test/images.ts",
);
interface FaceImages {
  faceCrop: (person: "bella" | "dana") => Promise<Buffer>;
  degradedCopy: (image: Buffer) => Promise<Buffer>;
  solidImage: (width: number, height: number, format: "png") => Promise<Buffer>;
}
const faceImages = async () =>
  (await import(/* @vite-ignore */ pathToFileURL(FACE_IMAGES).href)) as FaceImages;

/** Picks an option of a react-admin (MUI) select by its label and a part of the option's text. */
async function pick(page: Page, label: RegExp, option: RegExp) {
  await page.getByRole("combobox", { name: label }).click();
  await page.getByRole("option", { name: option }).click();
}

describe("engineer console and store terminal in a real browser", { timeout: 120_000 }, () => {
  let browser: Browser;
  let consolePage: Page;
  let terminalPage: Page;
  let admin: string;
  let robot: { id: string; token: string } | undefined;
  let storeId = "";
  let runId = "";
  let passengerId = "";
  const hotelNames: string[] = [];
  // Images this run uploaded (their `/base_api/v1/images/<id>` URLs), deleted once nothing shows them.
  const imageUrls = new Set<string>();
  const suffix = randomBytes(4).toString("hex");
  const storeName = `Буфет ${suffix}`;
  const trainNumber = randomInt(800_000, 900_000);
  const departure = new Date(Math.ceil((Date.now() + 3 * 3_600_000) / 60_000) * 60_000).toISOString();
  const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 20_000, interval: 250 });
  const must = async (what: string, reply: Promise<Reply>) => {
    const r = await reply;
    if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: scripts/stack test installs it`);
    mkdirSync(SHOTS, { recursive: true });
    admin = await engineerToken();
    await must(
      "train",
      call("POST", `${BASE}/admin/trains`, admin, {
        number: trainNumber,
        name: `E2E console ${suffix}`,
        stops: [
          { station_id: "MOSCOW", departure_minutes: 0 },
          { station_id: "SPB", arrival_minutes: 240 },
        ],
        wagons: [{ number: 1, class: "economy", seats: 10 }],
      }),
    );
    const runs = await must(
      "run",
      call("POST", `${BASE}/admin/runs`, admin, { train_number: trainNumber, departures: [departure] }),
    );
    runId = ((Array.isArray(runs) ? runs : runs.items) as { id: string }[])[0]!.id;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
      ],
    });
    consolePage = await (
      await browser.newContext({ locale: "ru-RU", viewport: { width: 1280, height: 900 } })
    ).newPage();
    terminalPage = await (await browser.newContext({ locale: "ru-RU" })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    if (robot) await call("DELETE", `${BASE}/admin/robots/${robot.id}`, admin);
    // Only this run's engineer, robot key and store (a failed step may have left them).
    const engineers = (await call("GET", `${BASE}/admin/engineers?page=1&size=100`, admin)).body?.items ?? [];
    for (const e of engineers as { id: string; login: string }[])
      if (e.login === `e2e-eng-${suffix}`) await call("DELETE", `${BASE}/admin/engineers/${e.id}`, admin);
    const robots = (await call("GET", `${BASE}/admin/robots?page=1&size=100`, admin)).body?.items ?? [];
    for (const r of robots as { id: string; robot_model_id: string }[])
      if (r.robot_model_id === `e2e-console-robot-${suffix}`)
        await call("DELETE", `${BASE}/admin/robots/${r.id}`, admin);
    if (storeId) {
      await call("DELETE", `${BASE}/admin/store_terminals/${storeId}`, admin);
      await call("DELETE", `${STORE}/admin/store/${storeId}`, admin);
    }
    // The passenger (with their face and ticket) before the run the ticket is for.
    if (passengerId) await call("DELETE", `${BASE}/admin/users/${passengerId}`, admin);
    if (runId) await call("DELETE", `${BASE}/admin/runs/${runId}`, admin);
    // Hotels are looked up by name: a failed step may have saved one before its id was known.
    const hotels = (await call("GET", `${BASE}/admin/hotels?page=1&size=100`, admin)).body?.items ?? [];
    for (const h of hotels as { id: string; name: string }[])
      if (hotelNames.includes(h.name))
        await call("DELETE", `${BASE}/admin/destination_info/hotel/${h.id}`, admin);
    for (const url of imageUrls) await call("DELETE", `${BASE}/admin/images/${url.split("/").pop()!}`, admin);
    await call("DELETE", `${BASE}/admin/trains/${trainNumber}`, admin);
  });

  it("signs an engineer in and creates a store", async () => {
    const page = consolePage;
    await page.goto(`${SITE}/console/`);
    await page.locator("input[name=username]").waitFor();
    await page.fill("input[name=username]", ENV.BOOTSTRAP_ENGINEER_LOGIN ?? "admin");
    await page.fill("input[name=password]", "wrong-password");
    await page.locator("button[type=submit]").click();
    await poll(() => page.locator("body").innerText()).toMatch(/Invalid credentials|Неверн/i);
    await page.fill("input[name=password]", ENV.BOOTSTRAP_ENGINEER_PASSWORD ?? "");
    await page.locator("button[type=submit]").click();
    await page.getByRole("menuitem", { name: "Магазины" }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, "console-ru.png"), fullPage: true });

    await page.goto(`${SITE}/console/stores/create`);
    await page.getByLabel("Название").fill(storeName);
    await page.getByRole("button", { name: "Сохранить" }).click();
    await page.getByRole("heading", { name: "Импорт товаров" }).waitFor();
    storeId = new URL(page.url()).pathname.split("/")[3]!;
    expect(storeId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("imports an item all-or-nothing and reports rejected rows", async () => {
    const page = consolePage;
    const box = page.getByRole("textbox", { name: "Импорт товаров" });
    await box.fill(
      "name,description,logo_url,balance,price_penny,category\nЧай,,,5,12000,drinks\nКофе,,,-1,15000,drinks",
    );
    await page.getByRole("button", { name: "Импортировать" }).click();
    await poll(() => page.getByRole("alert").first().innerText()).toContain("Отклонённые строки");
    expect((await call("GET", `${STORE}/admin/store/${storeId}`, admin)).body.items).toEqual([]);
    await box.fill("name,description,logo_url,balance,price_penny,category\nЧай,,,5,12000,drinks");
    await page.getByRole("button", { name: "Импортировать" }).click();
    await poll(
      async () => (await call("GET", `${STORE}/admin/store/${storeId}`, admin)).body.items.length,
    ).toBe(1);
    await poll(() => page.locator("main").innerText()).toContain("Чай");
  });

  it("binds the store to a run picked from the list", async () => {
    const page = consolePage;
    await page.getByRole("button", { name: "Привязать к рейсу" }).click();
    const select = page.getByRole("combobox", { name: "Рейс" });
    await select.waitFor();
    const option = page.locator(`select[aria-label="Рейс"] option`, { hasText: String(trainNumber) });
    await select.selectOption(await option.getAttribute("value"));
    await page.locator(".ra-bind").getByRole("button").click();
    await poll(async () => {
      const r = await call(
        "GET",
        `${BASE}/robot/train/${trainNumber}/stores?train_date=${encodeURIComponent(departure)}`,
        (robot ??= await enrolAndLogin("robot", {
          robot_model_id: `e2e-console-${randomUUID()}`,
          robot_model_name: "E2E:1.0",
        })).token,
      );
      return r.body.items as string[];
    }).toContain(storeId);
    await page.screenshot({ path: path.join(SHOTS, "console-store-ru.png"), fullPage: true });
  });

  it("makes this browser the store's terminal, which shows a robot's order without reload, marks it ready, adjusts stock", async () => {
    const page = terminalPage;
    await page.goto(`${SITE}/terminal/`);
    await page.getByRole("heading", { name: "Сделать это устройство терминалом магазина" }).waitFor();
    await page.getByLabel("Логин инженера").fill(ENV.BOOTSTRAP_ENGINEER_LOGIN ?? "admin");
    await page.getByLabel("Пароль инженера").fill(ENV.BOOTSTRAP_ENGINEER_PASSWORD ?? "");
    await page.getByRole("button", { name: "Далее" }).click();
    const storeSelect = page.getByRole("combobox", { name: "Магазин" });
    await storeSelect.waitFor();
    await storeSelect.selectOption(storeId);
    await page.getByRole("button", { name: "Зарегистрировать устройство" }).click();
    await page.getByRole("heading", { name: `Заказы · ${storeName}` }).waitFor();
    await poll(() => page.locator("main").innerText()).toContain("Сейчас собирать нечего");

    const items = (await call("GET", `${STORE}/admin/store/${storeId}`, admin)).body.items as {
      id: string;
    }[];
    const bought = await must(
      "purchase",
      call("POST", `${STORE}/robot/store/${storeId}/make_purchase`, robot!.token, {
        user_id: randomUUID(),
        items: [{ item_id: items[0]!.id, count: 2 }],
        is_default_ready: false,
        train_number: trainNumber,
        additional_data: { wagon_number: 1, place_number: 4 },
      }),
    );
    const card = page.locator("article.task", { hasText: "2 × Чай" });
    // No reload: the store's task event makes the queue re-read at once (its safety-net poll is every 15 s).
    await card.waitFor({ timeout: 10_000 });
    expect(await card.innerText()).toContain("Вагон 1, место 4");
    await page.screenshot({ path: path.join(SHOTS, "terminal-queue-ru.png"), fullPage: true });
    await card.getByRole("button", { name: "Готово" }).click();
    await poll(() => page.locator("article.task.ready").count()).toBe(1);
    const tasks = await must(
      "tasks",
      call("GET", `${STORE}/admin/store/${storeId}/tasks?also_ready_tasks=true`, admin),
    );
    const task = (tasks.items as { purchase: { id: string }; status: string }[]).find(
      (t) => t.purchase.id === bought.id,
    );
    expect(task?.status).toBe("ready");

    // Stock: 5 imported, 2 sold → 3; a delivery of 4 → 7; a write-off of 1 → 6.
    const balance = page.getByLabel("Чай: остаток");
    await poll(() => balance.innerText()).toBe("3");
    await page.getByLabel("Количество: Чай").fill("4");
    await page.getByRole("button", { name: "+ Поставка" }).click();
    await poll(() => balance.innerText()).toBe("7");
    await page.getByLabel("Количество: Чай").fill("1");
    await page.getByRole("button", { name: "− Списание" }).click();
    await poll(() => balance.innerText()).toBe("6");
    expect((await call("GET", `${STORE}/admin/store/${storeId}`, admin)).body.items[0].balance).toBe(6);
  });

  it("enrols a robot key pasted into the console, revokes it, and finds that in the audit log", async () => {
    const page = consolePage;
    const { publicKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
    });
    const model = `e2e-console-robot-${suffix}`;
    await page.goto(`${SITE}/console/robots/create`);
    await page.getByLabel("Логин инженера").fill(ENV.BOOTSTRAP_ENGINEER_LOGIN ?? "admin");
    await page.getByLabel("Пароль инженера").fill(ENV.BOOTSTRAP_ENGINEER_PASSWORD ?? "");
    await page.getByLabel("Идентификатор модели").fill(model);
    await page.getByLabel("Модель", { exact: false }).first().fill("E2E:1.0");
    await page.getByLabel("Открытый ключ (PEM)").fill(publicKey);
    await page.getByRole("button", { name: "Сохранить" }).click();
    const row = page.locator("tr", { hasText: model });
    await row.waitFor().catch(async (err: unknown) => {
      // Keep what the page showed (a notification with the server's detail, or a form error) for the report.
      await page.screenshot({ path: path.join(SHOTS, "console-robots-failed.png"), fullPage: true });
      throw new Error(
        `${(err as Error).message}\npage: ${(await page.locator("body").innerText()).slice(0, 600)}`,
      );
    });
    const listed = async () =>
      (
        (await call("GET", `${BASE}/admin/robots?page=1&size=100`, admin)).body.items as {
          robot_model_id: string;
        }[]
      )
        .map((r) => r.robot_model_id)
        .includes(model);
    expect(await listed()).toBe(true);
    const robots = (await call("GET", `${BASE}/admin/robots?page=1&size=100`, admin)).body.items as {
      id: string;
      robot_model_id: string;
    }[];
    const robotId = robots.find((r) => r.robot_model_id === model)!.id;
    await row.getByRole("button", { name: "Отозвать" }).click();
    await page
      .getByRole("dialog")
      .getByRole("button", { name: /Подтвердить|Confirm/ })
      .click();
    await poll(listed).toBe(false);
    await page.screenshot({ path: path.join(SHOTS, "console-robots-ru.png"), fullPage: true });

    // The revocation is in the audit log, found with the console's filters.
    await page.goto(`${SITE}/console/audit`);
    await page.getByLabel("Объект", { exact: true }).fill("robot");
    const entry = page.locator("tr", { hasText: robotId });
    await poll(() => entry.first().innerText()).toContain("DELETE /admin/robots/:robot_id");
    await page.screenshot({ path: path.join(SHOTS, "console-audit-ru.png"), fullPage: true });
  });

  it("creates an engineer with privileges picked as checkboxes, then deletes them", async () => {
    const page = consolePage;
    const login = `e2e-eng-${suffix}`;
    const password = `Pw-${suffix}-${suffix}`;
    await page.goto(`${SITE}/console/engineers/create`);
    await page.getByLabel("Логин").fill(login);
    await page.getByLabel("Пароль").fill(password);
    await page.getByLabel("STORE_LOGIN").check();
    await page.getByRole("button", { name: "Сохранить" }).click();
    const row = page.locator("tr", { hasText: login });
    await row.waitFor();
    // The new engineer can sign in, and has exactly the privilege picked: store-terminal enrolment, not admin.
    const session = await call("POST", `${BASE}/auth/engineer/login`, undefined, { login, password });
    expect(session.status).toBe(200);
    expect((await call("GET", `${BASE}/admin/engineers`, session.body.token)).status).toBe(403);
    await row.getByRole("button", { name: "Удалить" }).click();
    await page
      .getByRole("dialog")
      .getByRole("button", { name: /Подтвердить|Confirm/ })
      .click();
    await poll(
      async () => (await call("POST", `${BASE}/auth/engineer/login`, undefined, { login, password })).status,
    ).toBe(401);
  });

  // Rotating for real adds a signing key that no API takes back (the development-data guard would flag it, and
  // every run would change the stack's current key): rotation itself is tested in services/base
  // (ticket-signing.test.ts); here the console lists the keys and its button asks first, and cancelling changes
  // nothing.
  it("lists the ticket signing keys; rotating asks for confirmation and cancelling changes nothing", async () => {
    const page = consolePage;
    const keys = async () =>
      (await must("ticket keys", call("GET", `${BASE}/admin/ticket_keys`, admin))).keys as {
        kid: string;
        status: string;
      }[];
    const before = await keys();
    const current = before.find((k) => k.status === "current");
    await page.goto(`${SITE}/console/ticket_keys`);
    if (current)
      await poll(() => page.locator("tr", { hasText: current.kid }).first().innerText()).toContain(
        "действующий",
      );
    await poll(() => page.locator("tbody tr", { hasText: "действующий" }).count()).toBe(current ? 1 : 0);
    await page.getByRole("button", { name: "Сменить ключ" }).click();
    const dialog = page.getByRole("dialog");
    await poll(() => dialog.innerText()).toContain("Коды, подписанные прежним ключом");
    await page.screenshot({ path: path.join(SHOTS, "console-ticket-keys-ru.png"), fullPage: true });
    await dialog.getByRole("button", { name: /Отмена|Cancel/ }).click();
    await dialog.waitFor({ state: "hidden" });
    expect(await keys()).toEqual(before);
  });

  it("adds an item with a category and a picture to the store, edits its price, deletes it", async () => {
    const page = consolePage;
    const images = await faceImages();
    const name = `Магнит ${suffix}`;
    const itemOf = async () =>
      (
        (await must("store", call("GET", `${STORE}/admin/store/${storeId}`, admin))).items as {
          id: string;
          name: string;
          price_penny: number;
          balance: number;
          category: string;
          logo_url: string;
        }[]
      ).find((i) => i.name === name);
    await page.goto(`${SITE}/console/stores/${storeId}/show`);
    await page.getByText("Добавить товар").click();
    await page.waitForURL(/\/console\/items\/create/);
    await page.getByRole("textbox", { name: "Название" }).fill(name);
    await page.getByLabel("Цена, коп.").fill("25000");
    await page.getByLabel("Остаток").fill("3");
    await pick(page, /Категория/, /Сувениры поезда/);
    await page.locator("input[type=file]").setInputFiles({
      name: "magnet.png",
      mimeType: "image/png",
      buffer: await images.solidImage(40, 30, "png"),
    });
    await page.getByRole("button", { name: "Сохранить" }).click();
    // Back on the store's page, which lists the new item.
    const row = page.locator("tr", { hasText: name });
    await row.waitFor();
    expect(new URL(page.url()).pathname).toBe(`/console/stores/${storeId}/show`);
    const created = await itemOf();
    expect(created).toMatchObject({ price_penny: 25000, category: "train_souvenirs" });
    expect(created!.logo_url).toMatch(/^\/base_api\/v1\/images\//);
    imageUrls.add(created!.logo_url);
    // Stock as relative changes: a delivery of 2 (3 → 5); a write-off of 10 is refused with the server's detail.
    const balance = async () => (await itemOf())?.balance;
    await page.getByLabel(`Количество: ${name}`).fill("2");
    await page.getByRole("button", { name: `Поставка: ${name}` }).click();
    await poll(balance).toBe(5);
    await poll(() => row.locator("td.column-balance").innerText()).toBe("5");
    await page.getByLabel(`Количество: ${name}`).fill("10");
    await page.getByRole("button", { name: `Списание: ${name}` }).click();
    await poll(() => page.locator("body").innerText()).toContain("Not enough items");
    expect(await balance()).toBe(5);
    await page.screenshot({ path: path.join(SHOTS, "console-items-ru.png"), fullPage: true });

    // The form first shows the list's copy of the item and is reset when the item's own read answers: type after.
    const itemRead = page.waitForResponse(
      (r) => r.request().method() === "GET" && /\/admin\/store\/item\/[^/]+$/.test(new URL(r.url()).pathname),
    );
    await row.getByText("Редактировать").click();
    await itemRead;
    const price = page.getByLabel("Цена, коп.");
    await poll(() => price.inputValue()).toBe("25000");
    await price.fill("27000");
    await page.getByRole("button", { name: "Сохранить" }).click();
    await poll(async () => (await itemOf())?.price_penny).toBe(27000);
    // The picture was kept (no new file picked).
    expect((await itemOf())!.logo_url).toBe(created!.logo_url);

    await page.locator("tr", { hasText: name }).getByRole("button", { name: "Удалить" }).click();
    await page
      .getByRole("dialog")
      .getByRole("button", { name: /Подтвердить|Confirm/ })
      .click();
    await poll(itemOf).toBeUndefined();
  });

  it("adds a hotel at a station picked from the list, with an uploaded picture served through nginx", async () => {
    const page = consolePage;
    const images = await faceImages();
    const name = `Гостиница ${suffix}`;
    hotelNames.push(name);
    const picture = await images.solidImage(64, 48, "png");
    await page.goto(`${SITE}/console/hotels/create`);
    await pick(page, /Станция назначения/, /\(SPB\)/);
    await page.getByRole("textbox", { name: "Название" }).fill(name);
    await page.getByLabel("Описание").fill("У вокзала");
    await page.locator("input[type=file]").setInputFiles({
      name: "hotel.png",
      mimeType: "image/png",
      buffer: picture,
    });
    await page.getByRole("button", { name: "Сохранить" }).click();
    const row = page.locator("tr", { hasText: name });
    await row.waitFor();
    const hotels = await must("hotels", call("GET", `${BASE}/admin/hotels?destination_id=SPB`, admin));
    const hotel = (hotels.items as { name: string; destination_id: string; logo_url: string }[]).find(
      (h) => h.name === name,
    );
    expect(hotel).toMatchObject({ destination_id: "SPB", description: "У вокзала" });
    expect(hotel!.logo_url).toMatch(/^\/base_api\/v1\/images\/[\w-]+$/);
    imageUrls.add(hotel!.logo_url);
    // Served publicly, byte for byte, and shown by the browser from that address.
    const served = await fetch(`${ENTRY}${hotel!.logo_url}`);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await served.arrayBuffer()).equals(picture)).toBe(true);
    await poll(() =>
      row.locator("img").evaluate((img) => {
        const { complete, naturalWidth } = img as unknown as { complete: boolean; naturalWidth: number };
        return complete ? naturalWidth : 0;
      }),
    ).toBe(64);
    await page.screenshot({ path: path.join(SHOTS, "console-hotels-ru.png"), fullPage: true });

    // Edited (moved to another station, picture kept), then deleted after a confirmation.
    const hotelRead = page.waitForResponse(
      (r) => r.request().method() === "GET" && /\/destination_info\/hotel\/[^/]+$/.test(r.url()),
    );
    await row.getByText(name).click();
    await hotelRead;
    await pick(page, /Станция назначения/, /\(MOSCOW\)/);
    await page.getByRole("button", { name: "Сохранить" }).click();
    const moved = async () =>
      (
        (await must("hotels", call("GET", `${BASE}/admin/hotels?destination_id=MOSCOW`, admin))).items as {
          name: string;
          logo_url: string;
        }[]
      ).find((h) => h.name === name);
    await poll(async () => (await moved())?.logo_url).toBe(hotel!.logo_url);
    await page.locator("tr", { hasText: name }).getByRole("button", { name: "Удалить" }).click();
    await page
      .getByRole("dialog")
      .getByRole("button", { name: /Подтвердить|Confirm/ })
      .click();
    await poll(moved).toBeUndefined();
  });

  /** The passenger page's face labels in each language. */
  const FACE_UI = {
    ru: {
      none: "Лицо не зарегистрировано",
      enrol: "Добавить образец из фото",
      verify: "Проверить фото",
      result: "Результат проверки",
    },
    en: {
      none: "No face enrolled",
      enrol: "Enrol an example from a photo",
      verify: "Test-verify a photo",
      result: "Verification result",
    },
  };

  /** Opens the passenger's page (no face yet) and enrols `photo` there; resolves when the example is listed. */
  async function enrolShown(page: Page, lang: keyof typeof FACE_UI, photo: Buffer) {
    await page.goto(`${SITE}/console/passengers/${passengerId}/show`);
    await page.getByText(FACE_UI[lang].none).waitFor();
    await page.getByLabel(FACE_UI[lang].enrol).setInputFiles({
      name: "face.png",
      mimeType: "image/png",
      buffer: photo,
    });
    await page.locator(".console-faces tbody tr").first().waitFor({ timeout: 60_000 });
  }

  /** On the passenger's page: test-verifies `photo` and returns the figures shown. */
  async function verifyShown(page: Page, lang: keyof typeof FACE_UI, photo: Buffer) {
    await page.getByLabel(FACE_UI[lang].verify).setInputFiles({
      name: "check.jpg",
      mimeType: "image/jpeg",
      buffer: photo,
    });
    const result = page.getByRole("status", { name: FACE_UI[lang].result });
    await result.waitFor({ timeout: 30_000 });
    const dd = await result.locator("dd").allInnerTexts();
    return { verdict: dd[0], distance: dd[1], threshold: dd[2] };
  }

  it("enrols a passenger's face from a sample photo, test-verifies photos, deletes the example", async () => {
    const page = consolePage;
    const images = await faceImages();
    const bella = await images.faceCrop("bella");
    passengerId = (
      await must("passenger", call("POST", `${BASE}/admin/user`, admin, { name: `E2E Пассажир ${suffix}` }))
    ).id;
    const faces = async () =>
      (await must("faces", call("GET", `${BASE}/admin/user/${passengerId}/faces`, admin))).items as {
        id: string;
      }[];
    await enrolShown(page, "ru", bella);
    expect(await faces()).toHaveLength(1);

    // Another shot of the same person matches; the figures are the service's own (the API, asked the same).
    const shot = await images.degradedCopy(bella);
    const same = await verifyShown(page, "ru", shot);
    expect(same.verdict).toBe("Совпадает");
    expect(Number(same.distance)).toBeLessThan(Number(same.threshold));
    const form = new FormData();
    form.append("image", new Blob([new Uint8Array(shot)], { type: "image/jpeg" }), "check.jpg");
    const asked = await fetch(`${BASE}/admin/user/${passengerId}/face/verify/upload`, {
      method: "POST",
      headers: { Authorization: `Bearer ${admin}` },
      body: form,
    });
    const answer = (await asked.json()) as { distance: number; threshold: number; match: boolean };
    expect([answer.match, answer.distance.toFixed(3), answer.threshold.toFixed(3)]).toEqual([
      true,
      same.distance,
      same.threshold,
    ]);
    await page.screenshot({ path: path.join(SHOTS, "console-passenger-face-ru.png"), fullPage: true });
    const other = await verifyShown(page, "ru", await images.faceCrop("dana"));
    expect(other.verdict).toBe("Не совпадает");
    expect(Number(other.distance)).toBeGreaterThan(Number(other.threshold));

    await page.locator(".console-faces tbody tr").first().getByRole("button", { name: "Удалить" }).click();
    await page
      .getByRole("dialog")
      .getByRole("button", { name: /Подтвердить|Confirm/ })
      .click();
    await poll(async () => (await faces()).length).toBe(0);
    await page.getByText("Лицо не зарегистрировано").waitFor();
  });

  it("finds a passenger's ticket with the passenger and run filters", async () => {
    const page = consolePage;
    // Deleted with the passenger afterwards.
    await must(
      "ticket",
      call("POST", `${BASE}/admin/ticket`, admin, {
        user_id: passengerId,
        run_id: runId,
        wagon_number: 1,
        place_number: 7,
        station_id: "MOSCOW",
        destination: "SPB",
      }),
    );
    const filter = encodeURIComponent(JSON.stringify({ user_id: passengerId, run_id: runId }));
    await page.goto(`${SITE}/console/tickets?filter=${filter}`);
    // Exactly this passenger's ticket on this run, the passenger named in the row and in the filter.
    await poll(() => page.locator("tbody tr").count()).toBe(1);
    expect(await page.locator("tbody tr").innerText()).toContain(`E2E Пассажир ${suffix}`);
    expect(await page.getByRole("combobox", { name: "Пассажир" }).inputValue()).toBe(
      `E2E Пассажир ${suffix}`,
    );
    await page.screenshot({ path: path.join(SHOTS, "console-tickets-ru.png"), fullPage: true });
  });

  it("switches the console to English", async () => {
    const page = consolePage;
    await page.goto(`${SITE}/console/stores`);
    await page.getByRole("menuitem", { name: "Магазины" }).waitFor();
    await page.getByRole("button", { name: "Русский" }).click();
    await page.getByRole("menuitem", { name: "English" }).click();
    await page.getByRole("menuitem", { name: "Stores" }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, "console-en.png"), fullPage: true });
  });

  it("in English: enrols and test-verifies a face, adds a hotel", async () => {
    const page = consolePage;
    const images = await faceImages();
    const bella = await images.faceCrop("bella");
    await enrolShown(page, "en", bella);
    const same = await verifyShown(page, "en", await images.degradedCopy(bella));
    expect(same.verdict).toBe("Match");
    await page.screenshot({ path: path.join(SHOTS, "console-passenger-face-en.png"), fullPage: true });

    const name = `Hotel ${suffix}`;
    hotelNames.push(name);
    await page.goto(`${SITE}/console/hotels/create`);
    await pick(page, /Destination station/, /\(MOSCOW\)/);
    await page.getByRole("textbox", { name: "Name" }).fill(name);
    await page.getByRole("button", { name: "Save" }).click();
    await page.locator("tr", { hasText: name }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, "console-hotels-en.png"), fullPage: true });
  });
});
