import i18next from "i18next";
import { initReactI18next, useTranslation } from "react-i18next";
import { en } from "./en.js";
import type { Locale } from "./format.js";
import { ru } from "./ru.js";

export const LOCALES: readonly Locale[] = ["ru", "en"];
const STORAGE_KEY = "rail.lang";

/** The remembered choice, else the first of the browser's languages we speak, else Russian. */
export function detectLocale(
  stored: string | null = safeStorageGet(),
  browser: readonly string[] = typeof navigator === "undefined" ? [] : navigator.languages,
): Locale {
  if (stored === "ru" || stored === "en") return stored;
  for (const tag of browser) {
    const base = tag.toLowerCase().split("-")[0];
    if (base === "ru" || base === "en") return base;
  }
  return "ru";
}

function safeStorageGet(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function initI18n(locale: Locale = detectLocale()) {
  void i18next.use(initReactI18next).init({
    resources: { ru: { translation: ru }, en: { translation: en } },
    lng: locale,
    fallbackLng: "ru",
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
    showSupportNotice: false,
  });
  document.documentElement.lang = locale;
  return i18next;
}

export function setLocale(locale: Locale) {
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // private mode: the choice lasts for this page only
  }
  document.documentElement.lang = locale;
  void i18next.changeLanguage(locale);
}

/** useTranslation plus the current locale as our narrow type. */
export function useLocale() {
  const { t, i18n } = useTranslation();
  const locale: Locale = i18n.language === "en" ? "en" : "ru";
  return { t, locale };
}
