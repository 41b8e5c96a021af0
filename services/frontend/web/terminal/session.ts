import createClient from "openapi-fetch";
import { ok } from "../api/client.js";
import type { paths as BasePaths } from "../api/base.js";
import type { paths as StorePaths } from "../api/store.js";
import { answerChallenge, newKeyPair, saveEnrolment, type Enrolment } from "./keystore.js";

const TOKEN_KEY = "rail.terminal.token";

/** Enrolment and login of this browser as a store terminal, against the base service's auth routes. */
export class TerminalSession {
  private readonly base;
  private readonly store;

  constructor(baseUrl: string, storeUrl: string) {
    this.base = createClient<BasePaths>({ baseUrl });
    this.store = createClient<StorePaths>({ baseUrl: storeUrl });
  }

  token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  forgetToken() {
    sessionStorage.removeItem(TOKEN_KEY);
  }

  /** An engineer's session, only to list the stores while enrolling (never stored). */
  async engineerStores(login: string, password: string) {
    const { token } = await ok(this.base.POST("/auth/engineer/login", { body: { login, password } }));
    const page = await ok(
      this.store.GET("/admin/stores", {
        params: { query: { page: 1, size: 100 } },
        headers: { Authorization: `Bearer ${token}` },
      }),
    );
    return page.items.map((s) => ({ id: s.id, name: s.name }));
  }

  /** Makes a key pair, enrols its public key for the store with the engineer's credentials, keeps the private key. */
  async enrol(login: string, password: string, store: { id: string; name: string }): Promise<Enrolment> {
    const { privateKey, publicPem } = await newKeyPair();
    const enrolled = await ok(
      this.base.POST("/auth/store/new_login", {
        body: { login, password, public_key: publicPem, store_id: store.id },
      }),
    );
    const enrolment = { id: String(enrolled.id), storeId: store.id, storeName: store.name, privateKey };
    await saveEnrolment(enrolment);
    this.forgetToken();
    return enrolment;
  }

  /** The robots' challenge/response: decrypt the challenge with the private key, answer, get a session. */
  async login(enrolment: Enrolment): Promise<string> {
    const challenge = await ok(this.base.POST("/auth/store/login", { body: { id: enrolment.id } }));
    const answer = await answerChallenge(enrolment.privateKey, challenge.data);
    const { token } = await ok(
      this.base.POST("/auth/store/login_code", { body: { request_id: challenge.request_id, data: answer } }),
    );
    sessionStorage.setItem(TOKEN_KEY, token);
    return token;
  }
}
