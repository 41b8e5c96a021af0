import { readFileSync } from "node:fs";
import { apiTypesSource } from "@rail/common/openapi-types";
import { describe, expect, expectTypeOf, it } from "vitest";
import type {
  Engineer,
  OfflinePack,
  Page,
  PlaceInfo,
  Store,
  Task,
  Ticket,
  TicketUseResult,
  User,
} from "../types.js";
import type { TicketKeyJwk } from "../ticket-code.js";
import { ROBOT_API_TARGETS } from "./targets.js";

describe("robot SDK wire types", () => {
  // Builds each service's OpenAPI document in-process (no stack needed) and compares the generated text.
  it.each(ROBOT_API_TARGETS.map((t) => [t.service, t] as const))(
    "src/api/%s.ts matches the service's OpenAPI document (else: pnpm --filter @rail/robot-sdk openapi)",
    async (_service, target) => {
      expect(readFileSync(target.file, "utf8")).toBe(await apiTypesSource(target));
    },
    60_000,
  );

  it("resolves every exported type to a route's real shape (a renamed route would make it never)", () => {
    // Checked by the type checker (pnpm typecheck); at run time these are no-ops.
    expectTypeOf<User>().not.toBeNever();
    expectTypeOf<User>().toEqualTypeOf<{ id: string; name: string }>();
    expectTypeOf<Engineer>().toHaveProperty("login");
    expectTypeOf<Ticket>().toHaveProperty("code").toEqualTypeOf<string>();
    expectTypeOf<Page<PlaceInfo>>().toHaveProperty("pages").toEqualTypeOf<number>();
    expectTypeOf<PlaceInfo>().toHaveProperty("logo_url");
    expectTypeOf<Store["store_type"]>().toEqualTypeOf<"SHOP" | "RESTAURANT">();
    expectTypeOf<Task["status"]>().toEqualTypeOf<"pending" | "ready" | "delivered">();
    expectTypeOf<OfflinePack["keys"][number]>().toEqualTypeOf<TicketKeyJwk>();
    expectTypeOf<TicketKeyJwk["crv"]>().toEqualTypeOf<"Ed25519">();
    expectTypeOf<TicketUseResult["status"]>().toEqualTypeOf<
      "recorded" | "conflict" | "unknown_ticket" | "invalid_code"
    >();
  });
});
