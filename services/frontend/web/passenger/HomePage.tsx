import { Link } from "react-router";
import { useServices, useUser } from "../app/services.js";
import { useLocale } from "../i18n/index.js";

export function HomePage() {
  const { t } = useLocale();
  const { auth } = useServices();
  const user = useUser();
  if (user) {
    const name = user.profile.given_name ?? user.profile.name ?? user.profile.preferred_username ?? "";
    return (
      <section>
        <h1>{t("home.welcome", { name })}</h1>
        <p>{t("home.signedInIntro")}</p>
        <div className="actions">
          <Link className="button" to="/tickets">
            {t("nav.tickets")}
          </Link>
          <Link className="button secondary" to="/buy">
            {t("nav.buy")}
          </Link>
          <Link className="button secondary" to="/trip">
            {t("nav.trip")}
          </Link>
        </div>
      </section>
    );
  }
  return (
    <section className="hero">
      <h1>{t("home.title")}</h1>
      <p>{t("home.intro")}</p>
      <div className="actions">
        <button type="button" onClick={() => void auth.signIn("/tickets")}>
          {t("layout.signIn")}
        </button>
        <button type="button" className="secondary" onClick={() => void auth.register("/tickets")}>
          {t("home.register")}
        </button>
        <Link className="button secondary" to="/buy">
          {t("home.timetable")}
        </Link>
      </div>
    </section>
  );
}
