/** Pure parts of the CLI: files, keys, credentials, argument handling (no stack needed). */
import { publicEncrypt, constants } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { OpsError } from "../src/api.js";
import { engineerCredentials } from "../src/credentials.js";
import { parseItemsCsv, parseItemsJson, readItemsFile, rejectedRows } from "../src/items-import.js";
import { answerChallenge, newKeyPair, writePrivateKey } from "../src/keys.js";
import { commandPaths, ops } from "./helpers.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "ops-unit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("item files", () => {
  it("reads CSV with a header, ; or , separators, a BOM and blank lines, labelling rows by line", () => {
    const csv =
      "\uFEFFname;description;logo_url;balance;price_penny;category\nTea;Black;/static/t.png;10;9900;food\n\nMagnet;Fridge;/static/m.png;5;45000;train_souvenirs\n";
    const { rows, labels } = parseItemsCsv(csv);
    expect(rows).toEqual([
      {
        name: "Tea",
        description: "Black",
        logo_url: "/static/t.png",
        balance: "10",
        price_penny: "9900",
        category: "food",
      },
      {
        name: "Magnet",
        description: "Fridge",
        logo_url: "/static/m.png",
        balance: "5",
        price_penny: "45000",
        category: "train_souvenirs",
      },
    ]);
    expect(labels).toEqual(["line 2", "line 4"]);
  });

  it("refuses unknown CSV columns and broken CSV", () => {
    expect(() => parseItemsCsv("name,prise\nTea,1\n")).toThrow(/unknown CSV column\(s\) prise/);
    expect(() => parseItemsCsv('name,category\n"Tea,food\n')).toThrow(OpsError);
  });

  it("reads JSON as an array or {items: [...]}, refusing anything else", () => {
    expect(parseItemsJson('[{"name":"Tea"}]')).toEqual({ rows: [{ name: "Tea" }], labels: ["item 1"] });
    expect(parseItemsJson('{"items":[{"name":"A"},{"name":"B"}]}').labels).toEqual(["item 1", "item 2"]);
    expect(() => parseItemsJson('{"name":"Tea"}')).toThrow(/array of items/);
    expect(() => parseItemsJson("[1]")).toThrow(/item 1 is not an object/);
    expect(() => parseItemsJson("{")).toThrow(/not valid JSON/);
  });

  it("picks the format from the extension", () => {
    const json = path.join(dir, "items.json");
    writeFileSync(json, '[{"name":"Tea"}]');
    expect(readItemsFile(json).rows).toEqual([{ name: "Tea" }]);
    expect(() => readItemsFile(path.join(dir, "missing.csv"))).toThrow(/cannot read/);
  });

  it("maps the store's 422 list to the file's rows and fields", () => {
    const detail = [
      { loc: ["body", "items", 1, "price_penny"], msg: "Too small" },
      { loc: ["body", "items", 1, "name"], msg: "Required" },
      { loc: ["body", "items"], msg: "Too big" },
    ];
    expect(rejectedRows(detail, ["line 2", "line 3"])).toEqual([
      { row: "line 3", field: "price_penny", problem: "Too small" },
      { row: "line 3", field: "name", problem: "Required" },
      { row: "(all)", field: "items", problem: "Too big" },
    ]);
    expect(rejectedRows("Store not found", [])).toBeNull();
  });
});

it("refuses an item file larger than one request may be, before logging in", async () => {
  const big = path.join(dir, "big.json");
  const row = {
    name: "x",
    description: "d".repeat(250),
    logo_url: "l".repeat(250),
    balance: 1,
    price_penny: 1,
    category: "food",
  };
  writeFileSync(big, JSON.stringify(Array.from({ length: 2500 }, () => row)));
  const r = await ops(["items", "import", "00000000-0000-0000-0000-000000000000", big], {});
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/big\.json is 1\.\d MB as JSON; one import takes at most 1 MB/);
});

describe("keys", () => {
  it("writes the private key readable by its owner only and refuses to overwrite without force", () => {
    const file = path.join(dir, "robot.pem");
    const keys = newKeyPair();
    writePrivateKey(file, keys.privateKey);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toBe(keys.privateKey);
    expect(() => writePrivateKey(file, "other")).toThrow(/exists; choose another --key-out or add --force/);
    writeFileSync(file, "x", { mode: 0o644 });
    writePrivateKey(file, keys.privateKey, true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("answers an RSA-OAEP/SHA-256 challenge, and says so when the key does not fit", () => {
    const keys = newKeyPair();
    const challenge = publicEncrypt(
      { key: keys.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
      Buffer.from("secret-nonce"),
    ).toString("base64");
    expect(answerChallenge(keys.privateKey, challenge)).toBe("secret-nonce");
    expect(() => answerChallenge(newKeyPair().privateKey, challenge)).toThrow(/wrong key file/);
  });
});

describe("engineer credentials", () => {
  const noTerminal = {
    interactive: false,
    input: () => Promise.reject(new Error("unused")),
    password: () => Promise.reject(new Error("unused")),
  };
  it("come from the environment, else from prompts, else fail naming the variables", async () => {
    expect(await engineerCredentials({ RAIL_OPS_LOGIN: "a", RAIL_OPS_PASSWORD: "b" }, noTerminal)).toEqual({
      login: "a",
      password: "b",
    });
    const asked: string[] = [];
    const terminal = {
      interactive: true,
      input: async (m: string) => (asked.push(m), "chief"),
      password: async (m: string) => (asked.push(m), "pw"),
    };
    expect(await engineerCredentials({}, terminal)).toEqual({ login: "chief", password: "pw" });
    expect(asked).toEqual(["Engineer login", "Password for chief"]);
    await expect(engineerCredentials({ RAIL_OPS_LOGIN: "a" }, noTerminal)).rejects.toThrow(
      /RAIL_OPS_PASSWORD/,
    );
  });
});

describe("arguments", () => {
  it("offers --help on every command", async () => {
    const paths = commandPaths();
    expect(paths.length).toBeGreaterThan(20);
    for (const p of paths) {
      const r = await ops([...p, "--help"], {});
      expect(r.code, p.join(" ")).toBe(0);
      expect(r.out, p.join(" ")).toContain(`Usage: ops ${p.join(" ")}`);
    }
  });

  it("exits 2 on unknown commands, unknown options and missing arguments", async () => {
    expect((await ops(["nope"], {})).code).toBe(2);
    expect((await ops(["engineers", "list", "--bogus"], {})).code).toBe(2);
    const missing = await ops(["robots", "enrol", "--model-id", "x"], {});
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--key-out/);
    expect((await ops(["engineers", "create", "x", "-p", "KING"], {})).err).toMatch(/Allowed choices are/);
  });

  it("exits 1 naming the problem when the stack cannot be reached", async () => {
    const r = await ops(["--url", "http://127.0.0.1:9", "engineers", "list"], { RAIL_OPS_TOKEN: "t" });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9 .*scripts\/stack up/);
  });
});

describe("the executable", () => {
  it("exits with the CLI's status and prints errors on stderr", async () => {
    const { spawnSync } = await import("node:child_process");
    const main = path.resolve(import.meta.dirname, "../src/main.ts");
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", main, "--url", "http://127.0.0.1:9", "robots", "list"],
      {
        encoding: "utf8",
        env: { ...process.env, RAIL_OPS_TOKEN: "t", INIT_CWD: os.tmpdir() },
      },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error: list robots: cannot reach http://127.0.0.1:9");
    expect(r.stdout).toBe("");
  });
});
