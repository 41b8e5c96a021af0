/**
 * The passenger web site as a person uses it, in headless Chromium through nginx with the real Keycloak and
 * services: register in Russian, buy a seat from the seat map, see the ticket with a QR code that decodes to
 * the ticket's code, order from the train's shop during a trip, see the orders marked ready on the store-terminal
 * page (a second browser enrolled as the shop's terminal) without reloading, switch to English, no horizontal
 * scrolling on a 390 px phone on every page, a clear answer from "forgot password" without a mail server,
 * Keycloak's account console in the site's colours with a link back (Russian and English), sign out.
 *
 * Screenshots of the main pages go to packages/e2e/artifacts/screenshots/ (git-ignored). Everything the test
 * creates (train, runs, store, terminal key, robot, Keycloak account, base user with tickets and orders) is
 * deleted afterwards.
 */
import { existsSync, mkdirSync } from "node:fs";
import { randomBytes, randomInt } from "node:crypto";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import jsQR from "jsqr";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keycloakAdminRequest, keycloakTestSettings } from "@rail/common/testing";
import { BASE, ENV, STORE, call, engineerToken, enrolAndLogin, type Reply } from "./support.js";

// The browser must use the public URL: it is the Keycloak issuer and the web client's redirect URI.
const SITE = (ENV.RAIL_PUBLIC_URL ?? "http://localhost:8080").replace(/\/$/, "");
const CHROMIUM = ENV.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../artifacts/screenshots");
const PHONE = { width: 390, height: 844 };
const MINUTE = 60_000;
// Face photos come from the face service's own fixtures (crops of the face-api sample photos).
const FACE_IMAGES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../services/face/test/images.ts",
);
type FaceImages = { faceCrop: (person: "carol") => Promise<Buffer> };

/** YYYY-MM-DD in Moscow `days` from now, and that day's hh:mm Moscow time as an ISO instant. */
function moscowDay(days: number): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Moscow" }).format(
    new Date(Date.now() + days * 86_400_000),
  );
}

// Generous limits: eight people share two cores, and a page may wait on Keycloak or a cold service.
describe("passenger web site in a real browser", { timeout: 120_000 }, () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let admin: string;
  const suffix = randomBytes(4).toString("hex");
  const username = `web-${suffix}`;
  const trainNumber = randomInt(700_000, 800_000);
  const tomorrow = moscowDay(1);
  const futureDeparture = `${tomorrow}T09:${String(randomInt(10, 59))}:00+03:00`;
  // A run that left 30 minutes ago and arrives in 3.5 hours: the passenger's trip in progress.
  const tripDeparture = new Date(Math.floor((Date.now() - 30 * MINUTE) / MINUTE) * MINUTE).toISOString();
  let futureRunId = "";
  let tripRunId = "";
  let storeId = "";
  let userId = "";
  let ticketCode = "";
  let ticketId = "";
  let terminalEnrolled = false;
  let robot: { id: string; token: string } | undefined;

  const adminCall = (method: string, url: string, body?: unknown) => call(method, url, admin, body);
  const must = async (what: string, reply: Promise<Reply>) => {
    const r = await reply;
    if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  /** The signed-in passenger's access token, as the web app keeps it (oidc-client-ts, session storage). */
  // (Strings: this package's type-check has no DOM library; the code runs in the page.)
  const accessToken = () =>
    page.evaluate<string>(`(() => {
      for (let i = 0; i < sessionStorage.length; i++) {
        const key = sessionStorage.key(i);
        if (key.startsWith("oidc.user:")) return JSON.parse(sessionStorage.getItem(key)).access_token;
      }
      throw new Error("not signed in");
    })()`);
  const main = () => page.locator("main");
  const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 20_000, interval: 200 });

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `No Chromium at ${CHROMIUM}: scripts/stack test installs it (apt-get install chromium)`,
      );
    }
    mkdirSync(SHOTS, { recursive: true });
    admin = await engineerToken();
    await must(
      "train",
      adminCall("POST", `${BASE}/admin/trains`, {
        number: trainNumber,
        name: `E2E ${suffix}`,
        stops: [
          { station_id: "MOSCOW", departure_minutes: 0 },
          { station_id: "SPB", arrival_minutes: 240 },
        ],
        wagons: [
          { number: 1, class: "economy", seats: 12 },
          { number: 2, class: "comfort", seats: 8 },
        ],
      }),
    );
    const runs = await must(
      "runs",
      adminCall("POST", `${BASE}/admin/runs`, {
        train_number: trainNumber,
        departures: [futureDeparture, tripDeparture],
      }),
    );
    const list = (Array.isArray(runs) ? runs : runs.items) as {
      id?: string;
      run_id?: string;
      departure: string;
    }[];
    const idOf = (r: { id?: string; run_id?: string }) => r.id ?? r.run_id ?? "";
    futureRunId = idOf(list.find((r) => Date.parse(r.departure) === Date.parse(futureDeparture))!);
    tripRunId = idOf(list.find((r) => Date.parse(r.departure) === Date.parse(tripDeparture))!);
    const store = await must(
      "store",
      adminCall("POST", `${STORE}/admin/store`, {
        name: `Buffet ${suffix}`,
        description: "E2E",
        logo_url: "",
        store_type: "RESTAURANT",
      }),
    );
    storeId = store.id;
    await must(
      "items",
      adminCall("POST", `${STORE}/admin/store/${storeId}/items/import`, {
        items: [
          { name: "Чай", description: "", logo_url: "", balance: 50, price_penny: 12000, category: "drinks" },
          { name: "Пирожок", description: "", logo_url: "", balance: 0, price_penny: 9000, category: "food" },
        ],
      }),
    );
    await must(
      "binding",
      adminCall("POST", `${BASE}/admin/store/${storeId}/train`, {
        train_number: trainNumber,
        train_date: tripDeparture,
      }),
    );

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        // A synthetic camera (a moving test pattern, no face in it) and no permission prompt.
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
      ],
    });
    // A Russian-speaking passenger's browser in Moscow.
    context = await browser.newContext({ locale: "ru-RU", timezoneId: "Europe/Moscow" });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    // Leave the dev databases as they were: base user (tickets, holds, links cascade), store (items, purchases,
    // tasks), runs, train, then the Keycloak account.
    if (robot) await adminCall("DELETE", `${BASE}/admin/robots/${robot.id}`);
    if (terminalEnrolled) await adminCall("DELETE", `${BASE}/admin/store_terminals/${storeId}`);
    if (userId) await adminCall("DELETE", `${BASE}/admin/users/${userId}`);
    if (storeId) await adminCall("DELETE", `${STORE}/admin/store/${storeId}`);
    for (const run of [futureRunId, tripRunId])
      if (run) await adminCall("DELETE", `${BASE}/admin/runs/${run}`);
    await adminCall("DELETE", `${BASE}/admin/trains/${trainNumber}`);
    const keycloak = keycloakTestSettings(ENV);
    const res = await keycloakAdminRequest(keycloak, "GET", `/users?exact=true&username=${username}`);
    for (const user of (await res.json()) as { id: string }[]) {
      await keycloakAdminRequest(keycloak, "DELETE", `/users/${user.id}`);
    }
  });

  it("registers in Russian through Keycloak's themed pages, under the password policy", async () => {
    await page.goto(`${SITE}/`);
    await page.getByRole("button", { name: "Зарегистрироваться" }).click();
    await page.locator("#username").waitFor();
    expect(new URL(page.url()).pathname).toContain("/keycloak/realms/");
    expect(await page.locator("body").innerText()).toContain("Регистрация пассажира");
    expect(await page.getByRole("link", { name: "← Вернуться на сайт" }).getAttribute("href")).toBe("/");
    await page.screenshot({ path: path.join(SHOTS, "keycloak-register-ru.png"), fullPage: true });

    const fill = async (password: string) => {
      await page.fill("#username", username);
      await page.fill("#email", `${username}@example.test`);
      await page.fill("#firstName", "Анна");
      await page.fill("#lastName", `Тестова ${suffix}`);
      await page.fill("#password", password);
      await page.fill("#password-confirm", password);
      await page.locator("form [type=submit]").click();
    };
    await fill("short1"); // 6 characters: the realm's length(8) refuses it, in Russian
    await poll(() => page.locator("body").innerText()).toMatch(/не менее 8/);
    await fill(`Пароль-${suffix}`);
    await page.getByRole("heading", { name: "Мои билеты" }).waitFor();
    await poll(() => main().innerText()).toContain("У вас пока нет билетов.");
    const me = await call("GET", `${BASE}/frontend/me`, await accessToken());
    userId = me.body.id;
    expect(me.body.username).toBe(username);
  });

  it("buys a seat picked on the seat map, held with a countdown while confirming", async () => {
    await page.getByRole("link", { name: "Купить билет" }).first().click();
    await page.getByRole("heading", { name: "Купить билет" }).waitFor();
    await page.locator("select[name=from]").selectOption("MOSCOW");
    await page.locator("select[name=to]").selectOption("SPB");
    await page.fill("input[name=date]", tomorrow);
    await page.getByRole("button", { name: "Найти поезда" }).click();
    const run = page.locator("article.run", { hasText: `Поезд ${trainNumber}` });
    await run.waitFor();
    expect(await run.innerText()).toMatch(/Эконом: 12 свободных мест/);
    await page.screenshot({ path: path.join(SHOTS, "search-ru.png"), fullPage: true });
    await run.getByRole("link", { name: "Выбрать место" }).click();

    await page.getByRole("button", { name: "Место 7, свободно" }).click();
    await page.getByRole("button", { name: "Занять: вагон 1, место 7" }).click();
    const timer = page.getByRole("timer");
    await timer.waitFor();
    expect(await timer.innerText()).toMatch(/Место закреплено за вами ещё (9:[0-5]\d|10:00)/);
    await page.screenshot({ path: path.join(SHOTS, "seat-held-ru.png"), fullPage: true });
    // Someone else now sees the seat as held on the same map.
    const seats = await call("GET", `${BASE}/timetable/runs/${futureRunId}/seats`);
    const wagon1 = seats.body.wagons.find((w: { number: number }) => w.number === 1);
    expect(wagon1.places.find((p: { number: number }) => p.number === 7).status).toBe("held");

    await page.getByRole("button", { name: "Подтвердить и купить" }).click();
    await poll(() => main().innerText()).toContain(`Готово: поезд ${trainNumber}, вагон 1, место 7.`);
    const after = await call("GET", `${BASE}/timetable/runs/${futureRunId}/seats`);
    const seat7 = after.body.wagons
      .find((w: { number: number }) => w.number === 1)
      .places.find((p: { number: number }) => p.number === 7);
    expect(seat7.status).toBe("taken");
  });

  it("shows the ticket with its status and a QR code that decodes to the ticket's code", async () => {
    await page.getByRole("link", { name: "Мои билеты" }).first().click();
    const tickets = await call("GET", `${BASE}/frontend/tickets?page=1&size=10`, await accessToken());
    const bought = tickets.body.items.find((t: { run_id?: string }) => t.run_id === futureRunId);
    ticketCode = bought.signed_code ?? bought.code;
    ticketId = bought.id;
    const card = page.locator(`article.ticket[data-ticket-id="${ticketId}"]`);
    await card.locator("img.qr").waitFor();
    const text = await card.innerText();
    expect(text).toContain("Действителен");
    expect(text).toContain("Анна Тестова");
    expect(text).toMatch(/Москва, стандартное время/);
    expect(text).toMatch(/Вагон\s+1/);
    expect(text).toMatch(/Место\s+7/);
    // Decode the QR from pixels on screen, as a robot's scanner would.
    const png = PNG.sync.read(await card.locator("img.qr").screenshot());
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toBe(ticketCode);
    await page.screenshot({ path: path.join(SHOTS, "tickets-ru.png"), fullPage: true });

    await card.getByRole("link", { name: "Версия для печати" }).click();
    await page.getByRole("button", { name: "Печать" }).waitFor();
    const printPng = PNG.sync.read(await page.locator("img.qr").screenshot());
    expect(jsQR(new Uint8ClampedArray(printPng.data), printPng.width, printPng.height)?.data).toBe(
      ticketCode,
    );
  });

  it("orders from the train's shop during a trip, once per tap, and follows the order", async () => {
    const ticket = await must(
      "trip ticket",
      adminCall("POST", `${BASE}/admin/ticket`, {
        user_id: userId,
        run_id: tripRunId,
        wagon_number: 2,
        place_number: 3,
        station_id: "MOSCOW",
        destination: "SPB",
      }),
    );
    expect(ticket.id).toBeTruthy();
    await page.goto(`${SITE}/trip`);
    await page.getByRole("heading", { name: `Buffet ${suffix}` }).waitFor();
    const shop = page.locator(".shop");
    expect(await shop.innerText()).toMatch(/Пирожок[\s\S]*Нет в наличии/);
    await page.getByRole("button", { name: "Добавить ещё: Чай" }).click();
    await page.getByRole("button", { name: "Добавить ещё: Чай" }).click();
    expect(await shop.innerText()).toMatch(/Итого: 240,00\s₽/);
    // A double tap: both taps carry the same Idempotency-Key, so the store records one purchase.
    await page.getByRole("button", { name: "Заказать к месту" }).dblclick();
    await poll(() => shop.innerText()).toContain("Заказ принят. Робот привезёт его в вагон 2, место 3.");
    await poll(() => page.locator("article.order").count()).toBe(1);
    const order = page.locator("article.order").first();
    expect(await order.innerText()).toContain("Собирается");
    const orders = await call("GET", `${BASE}/frontend/orders?page=1&size=10`, await accessToken());
    expect(orders.body.total).toBe(1);
    expect(orders.body.items[0].items[0]).toMatchObject({ name: "Чай", count: 2 });
    await page.screenshot({ path: path.join(SHOTS, "trip-shop-ru.png"), fullPage: true });
    // The same key sent twice at once (a retry racing the first request) is still one purchase.
    const shopNow = await call("GET", `${BASE}/frontend/shop`, await accessToken());
    const tea = shopNow.body.stores[0].items.find((i: { name: string }) => i.name === "Чай");
    const retry = async () => {
      const res = await fetch(`${BASE}/frontend/orders`, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${await accessToken()}`,
          "Content-Type": "application/json",
          "Idempotency-Key": `e2e-${suffix}-retry`,
        },
        body: JSON.stringify({
          ticket_id: shopNow.body.ticket.id,
          store_id: storeId,
          items: [{ item_id: tea.id, count: 1 }],
        }),
      });
      return { status: res.status, body: (await res.json()) as { id: string } };
    };
    const [first, second] = await Promise.all([retry(), retry()]);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).toBe(first.body.id);
    const afterRetry = await call("GET", `${BASE}/frontend/orders?page=1&size=10`, await accessToken());
    expect(afterRetry.body.total).toBe(2);
  });

  it("store staff mark the orders ready on the terminal page; the passenger's page shows it without reload", async () => {
    // A second browser at the shop: the store-staff terminal, enrolled by an engineer on this device.
    const staff = await browser.newContext({ locale: "ru-RU", timezoneId: "Europe/Moscow" });
    const terminal = await staff.newPage();
    try {
      await terminal.goto(`${SITE}/terminal/`);
      await terminal.getByLabel("Логин инженера").fill(ENV.BOOTSTRAP_ENGINEER_LOGIN ?? "admin");
      await terminal.getByLabel("Пароль инженера").fill(ENV.BOOTSTRAP_ENGINEER_PASSWORD ?? "");
      await terminal.getByRole("button", { name: "Далее" }).click();
      const storeSelect = terminal.getByRole("combobox", { name: "Магазин" });
      await storeSelect.waitFor();
      await storeSelect.selectOption(storeId);
      await terminal.getByRole("button", { name: "Зарегистрировать устройство" }).click();
      terminalEnrolled = true;
      await terminal.getByRole("heading", { name: `Заказы · Buffet ${suffix}` }).waitFor();
      // The passenger's two orders, for their seat.
      const pending = terminal.locator("article.task.pending");
      await poll(() => pending.count()).toBe(2);
      for (const card of await pending.all()) {
        const text = await card.innerText();
        expect(text).toContain(`Поезд ${trainNumber} · Вагон 2, место 3`);
        expect(text).toContain(`Анна Тестова ${suffix}`);
      }

      // A robot's purchase (API) appears in the queue without a reload (the store's task events).
      robot = await enrolAndLogin("robot", {
        robot_model_id: `e2e-web-${suffix}`,
        robot_model_name: "E2E:1.0",
      });
      const shopNow = await call("GET", `${BASE}/frontend/shop`, await accessToken());
      const tea = shopNow.body.stores[0].items.find((i: { name: string }) => i.name === "Чай");
      await must(
        "robot purchase",
        call("POST", `${STORE}/robot/store/${storeId}/make_purchase`, robot.token, {
          user_id: userId,
          items: [{ item_id: tea.id, count: 3 }],
          is_default_ready: false,
          train_number: trainNumber,
          additional_data: { wagon_number: 2, place_number: 3 },
        }),
      );
      await terminal.locator("article.task.pending", { hasText: "3 × Чай" }).waitFor({ timeout: 10_000 });
      await terminal.screenshot({
        path: path.join(SHOTS, "terminal-passenger-orders-ru.png"),
        fullPage: true,
      });

      // Staff tap "Ready" on every order; the passenger's trip page (not reloaded) follows on its refresh.
      const before = await page.evaluate<number>("performance.timeOrigin");
      for (let n = 3; n > 0; n--) {
        await terminal
          .locator("article.task.pending")
          .first()
          .getByRole("button", { name: "Готово" })
          .click();
        await poll(() => pending.count()).toBe(n - 1);
      }
      await poll(() => terminal.locator("article.task.ready").count()).toBe(3);
      const orders = page.locator("article.order");
      await poll(() => orders.count()).toBe(3);
      await expect
        .poll(async () => (await orders.allInnerTexts()).every((text) => text.includes("Готов, в пути")), {
          timeout: 30_000,
          interval: 500,
        })
        .toBe(true);
      expect(await page.evaluate<number>("performance.timeOrigin")).toBe(before); // the same document
      await page.screenshot({ path: path.join(SHOTS, "trip-orders-ready-ru.png"), fullPage: true });

      // The terminal in English too.
      await terminal.getByRole("button", { name: "EN" }).click();
      await terminal.getByRole("heading", { name: `Orders · Buffet ${suffix}` }).waitFor();
      expect(await terminal.locator("main").innerText()).toContain("Ready and delivered");
      await terminal.screenshot({
        path: path.join(SHOTS, "terminal-passenger-orders-en.png"),
        fullPage: true,
      });
    } finally {
      await staff.close();
    }
  });

  it("switches to English, and remembers it", async () => {
    await page.goto(`${SITE}/tickets`);
    await page.getByRole("heading", { name: "Мои билеты" }).waitFor();
    await page.getByRole("button", { name: "EN" }).click();
    await page.getByRole("heading", { name: "My tickets" }).waitFor();
    await poll(() => main().innerText()).toContain("Valid");
    await page.reload();
    await page.getByRole("heading", { name: "My tickets" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
  });

  /**
   * Clicks "Enrol" until the face service answers: on the shared CI machine face inference can exceed base's
   * 10 s timeout while other suites enrol faces too; the page then says "temporarily unavailable, try again",
   * and a passenger would try again, as this does (at most 3 times). Returns once `expected` is shown.
   */
  async function enrolUntilAnswered(enrol: Locator, expected: string) {
    const unavailable = "This part of the service is temporarily unavailable.";
    for (let attempt = 1; ; attempt++) {
      await enrol.click();
      await poll(async () => {
        const text = await main().innerText();
        return text.includes(expected) || text.includes(unavailable);
      }).toBe(true);
      if ((await main().innerText()).includes(expected) || attempt === 3) break;
    }
    expect(await main().innerText()).toContain(expected);
  }

  it("enrols a face from an uploaded photo only with consent, explains a camera shot without a face, deletes it", async () => {
    const images = (await import(/* @vite-ignore */ pathToFileURL(FACE_IMAGES).href)) as FaceImages;
    await page.goto(`${SITE}/face`);
    await poll(() => main().innerText()).toContain("No face enrolled yet.");
    await page.locator("input[type=file]").setInputFiles({
      name: "me.jpg",
      mimeType: "image/jpeg",
      buffer: await images.faceCrop("carol"),
    });
    await page.getByRole("img", { name: "Your photo" }).waitFor();
    const enrol = page.getByRole("button", { name: "Enrol my face" });
    expect(await enrol.isDisabled()).toBe(true); // no consent yet
    await page.getByRole("checkbox").check();
    await enrolUntilAnswered(enrol, "Your face is enrolled.");
    // The camera path: the synthetic camera's frame has no face, which the passenger is told plainly.
    await page.getByRole("button", { name: "Use the camera" }).click();
    await page.locator("video").waitFor();
    await poll(() => page.evaluate<number>('document.querySelector("video").videoWidth')).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Take the photo" }).click();
    await page.getByRole("img", { name: "Your photo" }).waitFor();
    await enrolUntilAnswered(enrol, "No face was found in this photo. Try a clearer, well-lit one.");
    expect(await main().innerText()).toContain(
      "Your face is enrolled: the robot recognises you at boarding.",
    );
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Delete my face data" }).click();
    await poll(() => main().innerText()).toContain("No face enrolled yet.");
  });

  it("fits a 390 px phone on every page (no horizontal scrolling)", async () => {
    await page.setViewportSize(PHONE);
    const pages: [string, string, string][] = [
      ["home", "/", "h1"],
      ["search", `/buy?from=MOSCOW&to=SPB&date=${tomorrow}`, "article.run"],
      ["seat-map", `/buy/${futureRunId}?from=MOSCOW&to=SPB`, ".seat-map"],
      ["tickets", "/tickets", "img.qr"],
      ["ticket-print", `/tickets/${ticketId}/print`, "img.qr"],
      ["trip", "/trip", ".shop"],
      ["orders", "/orders", "article.order"],
      ["face", "/face", ".face .card"],
      ["not-found", "/no-such-page", "h1"],
    ];
    const overflowing: string[] = [];
    for (const [name, url, ready] of pages) {
      await page.goto(`${SITE}${url}`);
      await page.locator(ready).first().waitFor();
      const width = await page.evaluate<number>(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)",
      );
      if (width > PHONE.width) overflowing.push(`${name}: ${width}px`);
      await page.screenshot({ path: path.join(SHOTS, `phone-${name}-en.png`), fullPage: true });
    }
    expect(overflowing).toEqual([]);
  });

  it("answers 'forgot password' without a mail server with a clear message, not an error page", async () => {
    const stranger = await browser.newContext({ locale: "ru-RU" });
    const p = await stranger.newPage();
    await p.goto(`${SITE}/`);
    await p.getByRole("button", { name: "Войти" }).first().click();
    await p.getByRole("link", { name: "Забыли пароль?" }).click();
    await p.fill("#username", username);
    await p.locator("form [type=submit]").click();
    await p.locator(".rail-no-mail").waitFor();
    expect(await p.locator(".rail-no-mail").innerText()).toContain("в этой установке нет почтового сервера");
    await p.screenshot({ path: path.join(SHOTS, "keycloak-forgot-password-ru.png"), fullPage: true });
    await stranger.close();
  });

  it("shows Keycloak's account console in the site's colours, with a link back, in Russian and English", async () => {
    // The console follows the user's profile language, else the browser's (not ui_locales): the demo user has
    // none, so a Russian browser gets Russian and an English one English.
    for (const [locale, lang, back, section] of [
      ["ru-RU", "ru", "← Вернуться на сайт", "Личная информация"],
      ["en-US", "en", "← Back to the site", "Personal info"],
    ] as const) {
      const visitor = await browser.newContext({ locale });
      const p = await visitor.newPage();
      await p.goto(`${SITE}/keycloak/realms/railway/account/`);
      await p.locator("#username").waitFor();
      await p.fill("#username", "demo");
      await p.fill("#password", "demo-passenger");
      await p.locator("form [type=submit]").click();
      await p.locator(".pf-v5-c-masthead").waitFor();
      await poll(() => p.locator("#app").innerText()).toContain(section);
      expect(await p.locator("html").getAttribute("lang")).toBe(lang);
      // The site's accent colour (#0b5cad) on the bar, its darker shade (#084a8c) on the console's header.
      const background = (selector: string) =>
        p.evaluate<string>(
          `getComputedStyle(document.querySelector(${JSON.stringify(selector)})).backgroundColor`,
        );
      expect(await background(".rail-bar")).toBe("rgb(11, 92, 173)");
      expect(await background(".pf-v5-c-masthead")).toBe("rgb(8, 74, 140)");
      await p.screenshot({ path: path.join(SHOTS, `keycloak-account-${lang}.png`), fullPage: true });
      const link = p.getByRole("link", { name: back });
      expect(await link.getAttribute("href")).toBe("/");
      await link.click();
      await p.waitForURL((url) => url.pathname === "/" && url.host === new URL(SITE).host);
      await visitor.close();
    }
  });

  it("signs out back to the site", async () => {
    await page.goto(`${SITE}/`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Register" }).waitFor();
    expect(new URL(page.url()).host).toBe(new URL(SITE).host);
  });
});
