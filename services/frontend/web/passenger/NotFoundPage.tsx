import { Link } from "react-router";
import { useLocale } from "../i18n/index.js";

export function NotFoundPage() {
  const { t } = useLocale();
  return (
    <section>
      <h1>{t("notFound.title")}</h1>
      <Link to="/">{t("notFound.home")}</Link>
    </section>
  );
}
