import type { Command } from "commander";
import { Api } from "./api.js";
import { engineerCredentials, engineerLogin, type Prompter } from "./credentials.js";
import type { Io } from "./output.js";

export interface Deps {
  io: Io;
  env: Record<string, string | undefined>;
  prompter: Prompter;
}

/** What every command's action gets: the API client (engineer token fetched on first use) and output options. */
export class Context {
  private token: Promise<string> | undefined;
  readonly api: Api;
  readonly json: boolean;

  constructor(
    readonly deps: Deps,
    options: { url?: string; json?: boolean },
  ) {
    const url = (
      options.url ??
      deps.env.RAIL_OPS_URL ??
      deps.env.RAIL_PUBLIC_URL ??
      "http://localhost:8080"
    ).replace(/\/+$/, "");
    this.json = options.json === true;
    this.api = new Api(url, () => this.engineerToken());
  }

  get io(): Io {
    return this.deps.io;
  }

  /** RAIL_OPS_TOKEN if set, else a login with the engineer's credentials (once per run). */
  engineerToken(): Promise<string> {
    this.token ??= this.deps.env.RAIL_OPS_TOKEN
      ? Promise.resolve(this.deps.env.RAIL_OPS_TOKEN)
      : this.credentials().then((c) => engineerLogin(this.api, c));
    return this.token;
  }

  credentials() {
    return engineerCredentials(this.deps.env, this.deps.prompter);
  }
}

/** The Context of a running (sub)command, from its global options. */
export const contextOf = (deps: Deps, command: Command) =>
  new Context(deps, command.optsWithGlobals<{ url?: string; json?: boolean }>());
