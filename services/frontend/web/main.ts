import "./styles.css";
import { Api } from "./api.js";
import { Auth, CALLBACK_PATH } from "./auth.js";
import { loadWebConfig } from "./config.js";
import { h, message, replace } from "./dom.js";
import { buyPage } from "./pages/buy.js";
import type { Page, PageContext } from "./pages/context.js";
import { facePage } from "./pages/face.js";
import { homePage } from "./pages/home.js";
import { ordersPage } from "./pages/orders.js";
import { ticketsPage } from "./pages/tickets.js";

interface Route {
  title: string;
  page: Page;
  /** Shown only to signed-in passengers; others are sent to Keycloak first. */
  private: boolean;
  nav?: string;
}

const ROUTES: Record<string, Route> = {
  "/": { title: "Home", page: homePage, private: false },
  "/tickets": { title: "My tickets", page: ticketsPage, private: true, nav: "My tickets" },
  "/buy": { title: "Buy a ticket", page: buyPage, private: true, nav: "Buy a ticket" },
  "/face": { title: "Face enrolment", page: facePage, private: true, nav: "Face" },
  "/orders": { title: "My orders", page: ordersPage, private: true, nav: "Orders" },
};

async function start() {
  const root = document.querySelector<HTMLDivElement>("#app");
  if (!root) return;
  const main = h("main", { id: "content" });
  const nav = h("nav", { class: "top" });
  replace(
    root,
    h("header", { class: "bar" }, h("a", { href: "/", class: "brand", "data-link": true }, "Railway"), nav),
    main,
  );

  let ctx: PageContext;
  try {
    const config = await loadWebConfig();
    const auth = new Auth(config);
    ctx = { auth, api: new Api(config.baseApi, auth), navigate: (path) => void go(path) };
  } catch (err) {
    replace(main, message("error", `The site is misconfigured: ${(err as Error).message}`));
    return;
  }
  const { auth } = ctx;

  async function renderNav() {
    const user = await auth.user();
    const links = Object.entries(ROUTES)
      .filter(([, r]) => r.nav && user)
      .map(([path, r]) =>
        h(
          "a",
          { href: path, "data-link": true, class: window.location.pathname === path ? "active" : undefined },
          r.nav!,
        ),
      );
    const session = user
      ? h("button", { class: "link", onclick: () => void auth.signOut() }, "Sign out")
      : h("button", { class: "link", onclick: () => void auth.signIn("/tickets") }, "Sign in");
    replace(nav, ...links, session);
  }

  async function render() {
    const path = window.location.pathname;
    const route = ROUTES[path];
    if (!route) {
      document.title = "Not found · Railway";
      replace(main, h("h1", {}, "Page not found"), h("a", { href: "/", "data-link": true }, "Home"));
      await renderNav();
      return;
    }
    if (route.private && !(await auth.user())) {
      await auth.signIn(path);
      return;
    }
    document.title = `${route.title} · Railway`;
    await renderNav();
    replace(main, message("info", "Loading…"));
    try {
      replace(main, await route.page(ctx));
    } catch (err) {
      replace(main, message("error", (err as Error).message));
    }
  }

  async function go(path: string) {
    if (path !== window.location.pathname) window.history.pushState({}, "", path);
    await render();
  }

  document.addEventListener("click", (event) => {
    const link = (event.target as Element | null)?.closest?.("a[data-link]");
    if (!(link instanceof HTMLAnchorElement) || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    void go(link.pathname);
  });
  window.addEventListener("popstate", () => void render());
  auth.manager.events.addUserSignedOut(() => void auth.manager.removeUser().then(render));

  if (window.location.pathname === CALLBACK_PATH) {
    try {
      const next = await auth.completeSignIn();
      window.history.replaceState({}, "", next);
    } catch (err) {
      window.history.replaceState({}, "", "/");
      await renderNav();
      replace(main, message("error", `Sign-in failed: ${(err as Error).message}`));
      return;
    }
  }
  await render();
}

void start();
