/** Tiny DOM builder: text is always set as text (never parsed as HTML), so user data cannot inject markup. */
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function")
      el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

export function replace(el: Element, ...children: Child[]) {
  el.replaceChildren();
  append(el, children);
}

export const message = (kind: "info" | "error" | "ok", text: string) =>
  h("p", { class: `message ${kind}`, role: kind === "error" ? "alert" : "status" }, text);

const money = new Intl.NumberFormat("en-GB", { style: "currency", currency: "RUB" });
export const formatPenny = (penny: number) => money.format(penny / 100);

const moscowTime = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Moscow",
  dateStyle: "medium",
  timeStyle: "short",
});
/** Departures are timetabled in Moscow time, whatever the browser's zone. */
export const formatMoscow = (iso: string) => `${moscowTime.format(new Date(iso))} (Moscow)`;
export const formatLocal = (iso: string) => new Date(iso).toLocaleString();

/** Previous / "Page X of Y" / Next for a paginated list; nothing when everything fits on one page. */
export function pagerControls(result: { page: number; pages: number }, go: (page: number) => void): Node[] {
  if (result.pages <= 1) return [];
  return [
    h(
      "button",
      { class: "secondary", disabled: result.page <= 1, onclick: () => go(result.page - 1) },
      "Previous",
    ),
    h("span", {}, `Page ${result.page} of ${result.pages}`),
    h(
      "button",
      { class: "secondary", disabled: result.page >= result.pages, onclick: () => go(result.page + 1) },
      "Next",
    ),
  ];
}
