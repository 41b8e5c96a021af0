import { UserManager, WebStorageStateStore, type User } from "oidc-client-ts";
import type { WebConfig } from "./config.js";

export const CALLBACK_PATH = "/callback";

/**
 * Sign-in with Keycloak through the public `web` client: authorization code flow with PKCE (S256, done by
 * oidc-client-ts), tokens in session storage, refreshed with the refresh token before they expire. The site's
 * language goes along as `ui_locales`, so Keycloak's pages open in the same language.
 */
export class Auth {
  readonly manager: UserManager;
  readonly accountUrl: string;

  constructor(
    config: WebConfig,
    private readonly locale: () => string,
  ) {
    const origin = window.location.origin;
    const authority = `${config.keycloakUrl.replace(/\/+$/, "")}/realms/${config.realm}`;
    this.accountUrl = `${authority}/account`;
    this.manager = new UserManager({
      authority,
      client_id: config.clientId,
      redirect_uri: origin + CALLBACK_PATH,
      post_logout_redirect_uri: origin + "/",
      response_type: "code",
      scope: "openid profile email",
      automaticSilentRenew: true,
      userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    });
  }

  async user(): Promise<User | null> {
    const user = await this.manager.getUser();
    return user && !user.expired ? user : null;
  }

  /** Sends the browser to Keycloak; `returnTo` is where to land afterwards. */
  signIn(returnTo = window.location.pathname + window.location.search) {
    return this.manager.signinRedirect({
      state: { returnTo },
      extraQueryParams: { ui_locales: this.locale() },
    });
  }

  /** Keycloak's registration page (OIDC `prompt=create`). */
  register(returnTo = "/tickets") {
    return this.manager.signinRedirect({
      state: { returnTo },
      prompt: "create",
      extraQueryParams: { ui_locales: this.locale() },
    });
  }

  signOut() {
    return this.manager.signoutRedirect({ extraQueryParams: { ui_locales: this.locale() } });
  }

  /** Completes the redirect back from Keycloak and returns the path to show next (only a local path). */
  async completeSignIn(): Promise<string> {
    const user = await this.manager.signinRedirectCallback();
    const state = user.state as { returnTo?: unknown } | undefined;
    const returnTo =
      typeof state?.returnTo === "string" && /^\/(?!\/)/.test(state.returnTo) ? state.returnTo : "/tickets";
    return returnTo.startsWith(CALLBACK_PATH) ? "/tickets" : returnTo;
  }
}
