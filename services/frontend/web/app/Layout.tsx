import { useEffect } from "react";
import { NavLink, Outlet, useLocation } from "react-router";
import { LOCALES, setLocale, useLocale } from "../i18n/index.js";
import { useServices, useUser } from "./services.js";

export interface NavItem {
  to: string;
  label: string;
  /** Shown only to signed-in users. */
  private?: boolean;
}

function LanguageSwitch() {
  const { t, locale } = useLocale();
  return (
    <div className="lang" role="group" aria-label={t("layout.language")}>
      {LOCALES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          className={l === locale ? "active" : undefined}
          aria-pressed={l === locale}
          onClick={() => setLocale(l)}
        >
          {l === "ru" ? "RU" : "EN"}
        </button>
      ))}
    </div>
  );
}

/**
 * The frame every route tree shares: brand, navigation, language switch, session button. The passenger site
 * uses it at `/`; the engineer console and the store terminal can mount it with their own `nav` and `brand`.
 */
export function Layout({
  brand,
  home,
  nav,
  account,
}: {
  brand: string;
  home: string;
  nav: NavItem[];
  /** The session control of the tree; by default the passenger's Keycloak sign-in / sign-out. */
  account?: React.ReactNode;
}) {
  const { t } = useLocale();
  const { auth } = useServices();
  const user = useUser();
  const location = useLocation();
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [location.pathname]);
  return (
    <>
      <header className="bar">
        <NavLink to={home} className="brand">
          {brand}
        </NavLink>
        <nav className="top" aria-label={t("layout.navigation")}>
          {nav
            .filter((item) => !item.private || user)
            .map((item) => (
              <NavLink key={item.to} to={item.to}>
                {item.label}
              </NavLink>
            ))}
          {account !== undefined ? (
            account
          ) : user ? (
            <button type="button" className="link" onClick={() => void auth.signOut()}>
              {t("layout.signOut")}
            </button>
          ) : user === null ? (
            <button type="button" className="link" onClick={() => void auth.signIn("/tickets")}>
              {t("layout.signIn")}
            </button>
          ) : null}
          <LanguageSwitch />
        </nav>
      </header>
      <main id="content">
        <Outlet />
      </main>
    </>
  );
}
