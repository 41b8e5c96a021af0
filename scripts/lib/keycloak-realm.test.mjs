// @ts-check
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { realmForPublicUrl } from "./parts/keycloak.mjs";
import { ROOT } from "./util.mjs";

describe("the realm import follows RAIL_PUBLIC_URL", () => {
  const realm = fs.readFileSync(path.join(ROOT, "services/base/keycloak/realm-railway.json"), "utf8");

  it("moves every client URL of the export to the public URL", () => {
    const moved = JSON.parse(realmForPublicUrl(realm, "https://rail.example.org:9443/"));
    const web = moved.clients.find((/** @type {{ clientId: string }} */ c) => c.clientId === "web");
    expect(web.redirectUris.length).toBeGreaterThan(0);
    for (const uri of web.redirectUris) expect(uri).toMatch(/^https:\/\/rail\.example\.org:9443\//);
    expect(web.webOrigins).toContain("https://rail.example.org:9443");
    expect(JSON.stringify(moved)).not.toContain("http://localhost:8080");
  });

  it("leaves the export unchanged for the default URL", () => {
    expect(realmForPublicUrl(realm, "http://localhost:8080")).toBe(realm);
  });

  it("does not touch other ports of localhost", () => {
    expect(realmForPublicUrl('"http://localhost:80801/x" "http://localhost:8080/"', "http://h:1")).toBe(
      '"http://localhost:80801/x" "http://h:1/"',
    );
  });
});
