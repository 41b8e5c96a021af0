import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, env, loadConfig } from "./config.js";

const schema = z.object({
  PORT: env.port(),
  DATABASE_URL: z.url(),
  DEBUG: env.bool(false),
  NAME: z.string().default("svc"),
});

describe("loadConfig", () => {
  it("coerces and defaults values", () => {
    const config = loadConfig(schema, { PORT: "8001", DATABASE_URL: "postgresql://a@b/c", DEBUG: "true" });
    expect(config).toEqual({ PORT: 8001, DATABASE_URL: "postgresql://a@b/c", DEBUG: true, NAME: "svc" });
  });

  it("names every missing or invalid variable at once", () => {
    let error: unknown;
    try {
      loadConfig(schema, { PORT: "http", DEBUG: "maybe" });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    expect(problems).toContain("PORT:");
    expect(problems).toContain("DATABASE_URL: missing");
    expect(problems).toContain("DEBUG:");
  });

  it("treats empty strings as unset", () => {
    expect(() => loadConfig(schema, { PORT: "1", DATABASE_URL: "" })).toThrow(/DATABASE_URL: missing/);
  });
});
