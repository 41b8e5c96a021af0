import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  call,
  concretePath,
  createTokens,
  operations,
  type ServiceName,
  type TokenKind,
  type Tokens,
} from "./support.js";

/** Which token kinds satisfy a security scheme of the OpenAPI documents (packages/common/src/auth.ts). */
const ACCEPTS: Record<string, TokenKind[]> = {
  robot: ["robot"],
  store: ["store"],
  engineer: ["engineer"],
  service: ["service", "engineer"], // serviceOrAdminGuard: the service token or an ADMIN engineer
  keycloak: [],
};
const KINDS: (TokenKind | "none")[] = [
  "none",
  "garbage",
  "robot",
  "store",
  "engineer",
  "engineer-no-privileges",
  "service",
];

/**
 * Every operation that requires authentication, called without credentials and with every kind of token it does
 * not accept, must answer 401 or 403 (never run, never 5xx). Public operations are listed and skipped.
 */
describe("every protected operation refuses callers without the right credentials", () => {
  let tokens: Tokens;
  beforeAll(async () => {
    tokens = await createTokens();
  });
  afterAll(() => tokens?.close());

  for (const service of ["base", "store", "face"] as ServiceName[]) {
    it(`${service}: no credentials and wrong kinds of token get 401/403 on every protected operation`, async () => {
      const ops = await operations(service);
      const protectedOps = ops.filter((op) => op.security.length > 0);
      expect(protectedOps.length).toBeGreaterThan(0);
      const leaks: string[] = [];
      let calls = 0;
      for (const op of protectedOps) {
        const accepted = new Set(op.security.flatMap((s) => ACCEPTS[s] ?? []));
        for (const kind of KINDS) {
          if (kind !== "none" && accepted.has(kind as TokenKind)) continue;
          const token = kind === "none" ? undefined : tokens.byKind[kind];
          const res = await call(service, op.method, concretePath(op), {
            token,
            body: op.hasBody && op.method !== "GET" ? {} : undefined,
          });
          calls++;
          if (res.status !== 401 && res.status !== 403)
            leaks.push(`${op.method} ${op.path} as ${kind}: ${res.status} ${JSON.stringify(res.body)}`);
        }
      }
      expect(leaks).toEqual([]);
      expect(calls).toBeGreaterThan(protectedOps.length);
    });
  }
});
