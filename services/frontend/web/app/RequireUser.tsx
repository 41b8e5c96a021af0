import { useEffect, type ReactNode } from "react";
import { useLocation } from "react-router";
import { Message } from "../components/Message.js";
import { useLocale } from "../i18n/index.js";
import { useServices, useUser } from "./services.js";

/** Private pages: a signed-out visitor goes through Keycloak and comes back to the same address (deep link). */
export function RequireUser({ children }: { children: ReactNode }) {
  const { auth } = useServices();
  const user = useUser();
  const location = useLocation();
  const { t } = useLocale();
  useEffect(() => {
    if (user === null) void auth.signIn(location.pathname + location.search);
  }, [user, auth, location.pathname, location.search]);
  if (!user) return <Message kind="info">{t("common.signingIn")}</Message>;
  return <>{children}</>;
}
