import { describe, expect, it } from "vitest";
import { pageQuerySchema, paginate } from "./pagination.js";

describe("pagination", () => {
  it("defaults to page 1 of 50 and rejects out-of-range sizes", () => {
    expect(pageQuerySchema.parse({})).toEqual({ page: 1, size: 50 });
    expect(pageQuerySchema.safeParse({ size: "101" }).success).toBe(false);
    expect(pageQuerySchema.safeParse({ page: "0" }).success).toBe(false);
  });

  it("pushes the window to the fetcher and computes pages", async () => {
    const rows = Array.from({ length: 23 }, (_, i) => i);
    const windows: { skip: number; take: number }[] = [];
    const page = await paginate(
      { page: 3, size: 10 },
      async () => rows.length,
      async (w) => {
        windows.push(w);
        return rows.slice(w.skip, w.skip + w.take);
      },
      (n) => `#${n}`,
    );
    expect(windows).toEqual([{ skip: 20, take: 10 }]);
    expect(page).toEqual({ items: ["#20", "#21", "#22"], total: 23, page: 3, size: 10, pages: 3 });
  });

  it("reports zero pages for an empty result", async () => {
    const page = await paginate(
      { page: 1, size: 50 },
      async () => 0,
      async () => [],
    );
    expect(page.pages).toBe(0);
  });
});
