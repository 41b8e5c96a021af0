/**
 * The passenger web site as a person uses it, in headless Chromium through nginx: register with Keycloak,
 * buy a ticket, see it with its QR code, check the face and orders pages, sign out.
 */
import { existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keycloakAdminRequest, keycloakTestSettings, loadStackEnv } from "@rail/common/testing";

const ENV: Record<string, string | undefined> = { ...loadStackEnv(), ...process.env };
// The browser must use the public URL: it is the Keycloak issuer and the web client's redirect URI.
const SITE = (ENV.RAIL_PUBLIC_URL ?? "http://localhost:8080").replace(/\/$/, "");
const CHROMIUM = ENV.CHROMIUM_PATH ?? "/usr/bin/chromium";

describe("passenger web site in a real browser", () => {
  let browser: Browser;
  let page: Page;
  const suffix = randomBytes(4).toString("hex");

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `No Chromium at ${CHROMIUM}: scripts/stack test installs it (apt-get install chromium)`,
      );
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
      ],
    });
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    // Remove the account this test registered (its base user stays: nothing tells base about Keycloak deletions).
    const keycloak = keycloakTestSettings(ENV);
    const res = await keycloakAdminRequest(keycloak, "GET", `/users?exact=true&username=web-${suffix}`);
    for (const user of (await res.json()) as { id: string }[]) {
      await keycloakAdminRequest(keycloak, "DELETE", `/users/${user.id}`);
    }
  });

  it("registers a new passenger through Keycloak and lands on their (empty) tickets", async () => {
    await page.goto(`${SITE}/`);
    await page.getByRole("button", { name: "Register" }).click();
    await page.locator("#username").waitFor();
    expect(new URL(page.url()).pathname).toContain("/keycloak/realms/");
    await page.fill("#username", `web-${suffix}`);
    await page.fill("#email", `web-${suffix}@example.test`);
    await page.fill("#firstName", "Web");
    await page.fill("#lastName", `Tester ${suffix}`);
    await page.fill("#password", `Pass-${suffix}-word`);
    await page.fill("#password-confirm", `Pass-${suffix}-word`);
    await page.locator("form [type=submit]").click();
    await page.getByRole("heading", { name: "My tickets" }).waitFor();
    await expect.poll(() => page.locator("main").innerText()).toContain("You have no tickets yet.");
  });

  it("buys a ticket and shows it with a QR code", async () => {
    await page.getByRole("link", { name: "Buy a ticket" }).first().click();
    // Seats are shared by every passenger of a train run: pick a random one, and another if it is taken.
    const day = new Date(Date.now() + (7 + Math.floor(Math.random() * 300)) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    let outcome = "";
    for (let attempt = 0; attempt < 5 && !outcome.startsWith("Done"); attempt++) {
      await page.fill("[name=day]", day);
      await page.selectOption("[name=time]", "13:00");
      await page.fill("[name=wagon]", String(1 + Math.floor(Math.random() * 20)));
      await page.fill("[name=place]", String(1 + Math.floor(Math.random() * 100)));
      await page.locator("form button[type=submit]").click();
      const message = page.locator(".status .message.ok, .status .message.error");
      await message.waitFor();
      outcome = await message.innerText();
    }
    expect(outcome).toMatch(/^Done: train \d+, wagon \d+, seat \d+\./);
    await page.getByRole("button", { name: "Show my tickets" }).click();
    const qr = page.locator("img.qr");
    await qr.waitFor();
    expect(await qr.getAttribute("src")).toMatch(/^data:image\/png;base64,/);
    expect(await page.locator("main").innerText()).toContain("Train");
  });

  it("shows face status and orders from the real services, then signs out", async () => {
    await page.getByRole("link", { name: "Face" }).click();
    await expect.poll(() => page.locator("main").innerText()).toContain("No face enrolled yet.");
    await page.getByRole("link", { name: "Orders" }).click();
    await expect.poll(() => page.locator("main").innerText()).toContain("No orders yet");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Register" }).waitFor();
    expect(new URL(page.url()).host).toBe(new URL(SITE).host);
  });
});
