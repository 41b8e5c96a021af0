// @ts-check
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { loadEnvFiles, mergeEnv, parseEnvFile } from "../../packages/common/src/env-file.mjs";
import { stackConfig } from "./env.mjs";

describe("parseEnvFile (shared with packages/common/src/stack-env.ts)", () => {
  test("reads KEY=value lines and skips comments, blank lines and junk", () => {
    const text = "# comment\n\nA=1\n  B = two  \nnot a line\nexport C=3\r\nD=\n";
    expect(parseEnvFile(text)).toEqual({ A: "1", B: "two", C: "3", D: "" });
  });

  test("trims unquoted values and drops a trailing ` # comment`, keeping # inside a value", () => {
    expect(parseEnvFile("A=  x y  \nB=value # note\nC=pa#ss\nD=# only a comment")).toEqual({
      A: "x y",
      B: "value",
      C: "pa#ss",
      D: "",
    });
  });

  test("takes quoted values verbatim, inner spaces and # included", () => {
    expect(parseEnvFile(`A=" padded "\nB='x # y'\nC="q" # comment\nD="unbalanced'`)).toEqual({
      A: " padded ",
      B: "x # y",
      C: "q",
      D: `"unbalanced'`,
    });
  });
});

describe("mergeEnv", () => {
  test("later files override earlier ones and the environment overrides both", () => {
    expect(mergeEnv([{ A: "1", B: "1" }, { B: "2" }], { B: "3", A: undefined })).toEqual({ A: "1", B: "3" });
  });

  test("an empty value is unset at every layer", () => {
    const merged = mergeEnv([{ A: "default", B: "" }, { A: "" }], { A: "" });
    expect(merged).toEqual({ A: "default" });
  });

  test("takes from the environment only keys the files define", () => {
    expect(mergeEnv([{ A: "1" }], { A: "2", PATH: "/bin" })).toEqual({ A: "2" });
  });
});

test("loadEnvFiles layers .env.example, .env and the environment of a directory", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-env-"));
  try {
    fs.writeFileSync(path.join(dir, ".env.example"), "A=example\nB=example\nC=example\n");
    fs.writeFileSync(path.join(dir, ".env"), "B=local\nC=\n");
    expect(loadEnvFiles(dir, { C: "environment" })).toEqual({ A: "example", B: "local", C: "environment" });
    expect(loadEnvFiles(dir, {})).toEqual({ A: "example", B: "local", C: "example" });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe("stackConfig", () => {
  test("defaults match .env.example's documented ports and logins", () => {
    const c = stackConfig({});
    expect(c.ports).toEqual({
      http: 8080,
      postgres: 55432,
      redis: 6390,
      chroma: 8005,
      keycloak: 8180,
      base: 8001,
      store: 8002,
      face: 8003,
      frontend: 8004,
    });
    expect(c.publicUrl).toBe("http://localhost:8080");
    expect(c.keycloakPublicUrl).toBe("http://localhost:8080/keycloak");
    expect(c.engineer).toEqual({ login: "admin", password: "admin-dev-password" });
  });

  test("derives URLs from the HTTP port and strips trailing slashes", () => {
    expect(stackConfig({ RAIL_HTTP_PORT: "9090" }).publicUrl).toBe("http://localhost:9090");
    const c = stackConfig({ RAIL_PUBLIC_URL: "https://rail.example/", KEYCLOAK_PUBLIC_URL: "https://kc/" });
    expect(c.publicUrl).toBe("https://rail.example");
    expect(c.keycloakPublicUrl).toBe("https://kc");
  });

  test("refuses a port that is not a port number", () => {
    expect(() => stackConfig({ BASE_PORT: "80a" })).toThrow(/BASE_PORT=80a is not a port number/);
    expect(() => stackConfig({ REDIS_PORT: "70000" })).toThrow(/REDIS_PORT/);
  });

  test("the repository's .env.example parses into a complete configuration", () => {
    const env = loadEnvFiles(path.resolve(import.meta.dirname, "../.."), {});
    for (const key of [
      "BASE_DATABASE_URL",
      "STORE_DATABASE_URL",
      "FACE_DATABASE_URL",
      "BOOTSTRAP_ENGINEER_LOGIN",
    ])
      expect(env[key], key).toBeTruthy();
    expect(() => stackConfig(env)).not.toThrow();
  });
});
