import { UserManager, WebStorageStateStore, type User } from "oidc-client-ts";
import type { WebConfig } from "./config.js";

export const CALLBACK_PATH = "/callback";

/**
 * Sign-in with Keycloak through the public `web` client: authorization code flow with PKCE (S256, done by
 * oidc-client-ts), tokens in session storage, refreshed with the refresh token before they expire.
 */
export class Auth {
  readonly manager: UserManager;

  constructor(config: WebConfig) {
    const origin = window.location.origin;
    this.manager = new UserManager({
      authority: `${config.keycloakUrl.replace(/\/+$/, "")}/realms/${config.realm}`,
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
  signIn(returnTo = window.location.pathname) {
    return this.manager.signinRedirect({ state: { returnTo } });
  }

  /** Keycloak's registration page (OIDC `prompt=create`). */
  register(returnTo = "/tickets") {
    return this.manager.signinRedirect({ state: { returnTo }, prompt: "create" });
  }

  signOut() {
    return this.manager.signoutRedirect();
  }

  /** Completes the redirect back from Keycloak and returns the path to show next. */
  async completeSignIn(): Promise<string> {
    const user = await this.manager.signinRedirectCallback();
    const state = user.state as { returnTo?: unknown } | undefined;
    const returnTo =
      typeof state?.returnTo === "string" && state.returnTo.startsWith("/") ? state.returnTo : "/tickets";
    return returnTo === CALLBACK_PATH ? "/tickets" : returnTo;
  }
}
