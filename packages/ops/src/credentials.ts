import { type Api, OpsError } from "./api.js";

export interface Credentials {
  login: string;
  password: string;
}

export interface Prompter {
  interactive: boolean;
  input(message: string): Promise<string>;
  password(message: string): Promise<string>;
}

/** Prompts on the terminal (inquirer); not interactive when stdin is not a TTY. */
export const terminalPrompter: Prompter = {
  interactive: Boolean(process.stdin.isTTY),
  input: async (message) => (await import("@inquirer/input")).default({ message }),
  password: async (message) => (await import("@inquirer/password")).default({ message, mask: "*" }),
};

/**
 * The engineer the CLI acts as: RAIL_OPS_LOGIN / RAIL_OPS_PASSWORD from the environment, else asked for on the
 * terminal. Never read from a file or a command-line flag (shell history, `ps`).
 */
export async function engineerCredentials(
  env: Record<string, string | undefined>,
  prompter: Prompter,
): Promise<Credentials> {
  const login = env.RAIL_OPS_LOGIN || (prompter.interactive ? await prompter.input("Engineer login") : "");
  const password =
    env.RAIL_OPS_PASSWORD ||
    (prompter.interactive && login ? await prompter.password(`Password for ${login}`) : "");
  if (!login || !password)
    throw new OpsError(
      "engineer credentials needed: set RAIL_OPS_LOGIN and RAIL_OPS_PASSWORD (or RAIL_OPS_TOKEN), or run in a terminal to be asked",
    );
  return { login, password };
}

export async function engineerLogin(api: Api, credentials: Credentials): Promise<string> {
  const res = await api.request<{ token: string }>(
    "POST",
    api.base("/auth/engineer/login"),
    "engineer login",
    {
      auth: false,
      body: credentials,
    },
  );
  return res.token;
}
