import { useEffect, useRef, useState } from "react";
import { useNavigate } from "react-router";
import { Message } from "../components/Message.js";
import { useLocale } from "../i18n/index.js";
import { useServices } from "./services.js";

/** Keycloak redirects here with the authorization code; oidc-client-ts exchanges it (PKCE verifier). */
export function Callback() {
  const { auth } = useServices();
  const navigate = useNavigate();
  const { t } = useLocale();
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return; // StrictMode runs effects twice; the code can be redeemed once
    started.current = true;
    auth.completeSignIn().then(
      (next) => void navigate(next, { replace: true }),
      (err: Error) => setError(err.message),
    );
  }, [auth, navigate]);
  return error ? (
    <Message kind="error">{t("layout.signInFailed", { reason: error })}</Message>
  ) : (
    <Message kind="info">{t("common.signingIn")}</Message>
  );
}
