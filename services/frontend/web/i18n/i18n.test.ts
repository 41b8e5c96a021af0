import i18next from "i18next";
import { describe, expect, it } from "vitest";
import { en } from "./en.js";
import { formatDateTime, formatDuration, formatMoney, formatTime, isoDateIn, zoneName } from "./format.js";
import { detectLocale } from "./index.js";
import { ru } from "./ru.js";

/** Flattened keys, plural forms folded to their base key (ru has _few/_many, en only _one/_other). */
function keys(obj: object, prefix = ""): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix + k.replace(/_(zero|one|two|few|many|other)$/, "");
    if (v && typeof v === "object") keys(v, `${key}.`).forEach((x) => out.add(x));
    else out.add(key);
  }
  return out;
}

describe("i18n", () => {
  it("has the same messages in Russian and English", () => {
    expect([...keys(ru)].sort()).toEqual([...keys(en)].sort());
  });

  it("chooses the remembered language, else the browser's, else Russian", () => {
    expect(detectLocale("en", ["ru-RU"])).toBe("en");
    expect(detectLocale(null, ["de-DE", "en-US", "ru"])).toBe("en");
    expect(detectLocale(null, ["ru-RU", "en"])).toBe("ru");
    expect(detectLocale(null, ["de-DE", "fr"])).toBe("ru");
    expect(detectLocale("xx", [])).toBe("ru");
  });

  it("uses Russian plural forms", async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ lng: "ru", resources: { ru: { translation: ru }, en: { translation: en } } });
    expect(i18n.t("buy.freeSeats", { count: 1 })).toBe("1 свободное место");
    expect(i18n.t("buy.freeSeats", { count: 3 })).toBe("3 свободных места");
    expect(i18n.t("buy.freeSeats", { count: 5 })).toBe("5 свободных мест");
    expect(i18n.t("buy.freeSeats", { count: 21 })).toBe("21 свободное место");
    await i18n.changeLanguage("en");
    expect(i18n.t("buy.freeSeats", { count: 1 })).toBe("1 seat free");
    expect(i18n.t("buy.freeSeats", { count: 5 })).toBe("5 seats free");
  });

  it("shows times at the station's zone, whatever the browser's zone, and names the zone", () => {
    const departure = "2026-12-02T06:00:00Z"; // 09:00 in Moscow, 14:00 in Vladivostok
    expect(formatTime(departure, "Europe/Moscow", "ru")).toBe("09:00");
    expect(formatTime(departure, "Asia/Vladivostok", "en")).toBe("16:00");
    expect(formatDateTime(departure, "Europe/Moscow", "ru")).toMatch(/^2 дек\. 2026 г\., 09:00$/);
    expect(formatDateTime(departure, "Europe/Moscow", "en")).toBe("2 Dec 2026, 09:00");
    expect(zoneName("Europe/Moscow", "en", new Date(departure))).toBe("Moscow Standard Time");
    expect(zoneName("Europe/Moscow", "ru", new Date(departure))).toMatch(/^Москва/);
    expect(isoDateIn("Europe/Moscow", new Date("2026-12-01T22:30:00Z"))).toBe("2026-12-02");
  });

  it("formats roubles per locale from kopecks", () => {
    expect(formatMoney(123450, "ru").replace(/\s/g, " ")).toBe("1 234,50 ₽");
    expect(formatMoney(123450, "en")).toBe("₽1,234.50");
    expect(formatDuration(245, "en")).toBe("4 hrs 5 mins");
    expect(formatDuration(245, "ru").replace(/\s/g, " ")).toBe("4 ч 5 мин");
  });
});
