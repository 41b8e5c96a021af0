// @ts-check
import { describe, expect, it } from "vitest";
import { upstreamsConf } from "./parts/nginx.mjs";
import { parseReplicas, replicaInstances } from "./replicas.mjs";

const PORTS = { base: 8001, store: 8002, face: 8003, frontend: 8004, keycloak: 8180 };

describe("service replicas (up --replicas)", () => {
  it("parses base=2,store=2 and places the extra instances 100 ports up", () => {
    const replicas = parseReplicas("base=2, store=3");
    expect(replicas).toEqual({ base: 2, store: 3 });
    expect(replicaInstances(replicas, PORTS)).toEqual([
      { service: "base", part: "base-2", port: 8101 },
      { service: "store", part: "store-2", port: 8102 },
      { service: "store", part: "store-3", port: 8202 },
    ]);
  });

  it("puts every replica in its service's nginx upstream", () => {
    const conf = upstreamsConf(PORTS, { base: 2 });
    expect(conf).toMatch(
      /upstream rail_base \{\n {2}server 127\.0\.0\.1:8001 max_fails=0;\n {2}server 127\.0\.0\.1:8101 max_fails=0;\n/,
    );
    expect(conf).toMatch(/upstream rail_store \{\n {2}server 127\.0\.0\.1:8002 max_fails=0;\n {2}keepalive/);
  });
});
