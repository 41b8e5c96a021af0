import type { Api } from "../api.js";
import type { Auth } from "../auth.js";

export interface PageContext {
  api: Api;
  auth: Auth;
  navigate: (path: string) => void;
}

export type Page = (ctx: PageContext) => Promise<HTMLElement>;
