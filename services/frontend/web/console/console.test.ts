import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client.js";
import { asPage, searchAndSort } from "./data.js";
import { detailText } from "./providers.js";
import { ROUTES as RESOURCES } from "./resources/index.js";
import { parseItems } from "./resources/stores.js";

describe("console data helpers", () => {
  it("searches and sorts the records of a page", () => {
    const rows = [
      { id: "1", name: "Чайная", balance: 3 },
      { id: "2", name: "Buffet", balance: 10 },
      { id: "3", name: "Кофейня", balance: 1 },
    ];
    expect(
      searchAndSort(rows, { filter: { q: "чай" }, sort: { field: "", order: "ASC" } }).map((r) => r.id),
    ).toEqual(["1"]);
    expect(
      searchAndSort(rows, { filter: {}, sort: { field: "balance", order: "DESC" } }).map((r) => r.id),
    ).toEqual(["2", "1", "3"]);
  });

  it("reads items from CSV with a header row or from a JSON array", () => {
    expect(parseItems("name,balance,price_penny\nЧай,5,12000\n\nКофе,0,15000\n")).toEqual([
      { name: "Чай", balance: 5, price_penny: 12000 },
      { name: "Кофе", balance: 0, price_penny: 15000 },
    ]);
    expect(parseItems('[{"name":"Чай","balance":5}]')).toEqual([{ name: "Чай", balance: 5 }]);
  });

  it("shows the server's detail, 422 lists as field: message", () => {
    expect(detailText(new ApiError(404, "Store not found"))).toBe("Store not found");
    expect(detailText(new ApiError(422, [{ loc: ["body", "items", 1, "balance"], msg: "Too small" }]))).toBe(
      "items.1.balance: Too small",
    );
  });

  it("reads list answers: pages, arrays, and the ticket key set's `keys`", () => {
    expect(asPage({ items: [{ id: "a" }], total: 7 })).toEqual({ items: [{ id: "a" }], total: 7 });
    expect(asPage([{ id: "a" }, { id: "b" }]).total).toBe(2);
    const keys = RESOURCES.ticket_keys!;
    expect(asPage({ keys: [{ kid: "k1" }, { kid: "k2" }] }, keys.itemsField)).toEqual({
      items: [{ kid: "k1" }, { kid: "k2" }],
      total: 2,
    });
    expect(keys.idField).toBe("kid");
    expect(RESOURCES.ticket_use_conflicts!.idField).toBe("use_id");
  });
});
