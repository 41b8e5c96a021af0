import { z } from "zod";
import { describe, expect, it } from "vitest";
import { laxInt } from "./lax-int.js";

describe("laxInt (pydantic's lax integers)", () => {
  const schema = laxInt(z.number().int().min(1));

  it("takes JSON numbers and digit strings", () => {
    expect(schema.parse(1186)).toBe(1186);
    expect(schema.parse("1186")).toBe(1186);
    expect(schema.parse(" +7 ")).toBe(7);
  });

  it("refuses what pydantic refused, through the inner schema", () => {
    for (const bad of ["1.5", "12a", "", "0", true, null, 1.5])
      expect(schema.safeParse(bad).success).toBe(false);
  });
});
