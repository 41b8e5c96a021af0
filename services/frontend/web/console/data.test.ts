// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { WebConfig } from "../app/config.js";
import { dataProvider, withUploads } from "./data.js";
import { ROUTES } from "./resources/index.js";

const config = { baseApi: "/base_api/v1", storeApi: "/store_api/v1" } as WebConfig;
const IMAGE_URL = "/base_api/v1/images/3f0c";

/** One recorded request: method, path with query, and the body as sent (JSON parsed, or the FormData). */
interface Sent {
  method: string;
  url: string;
  body: unknown;
}

/** A stand-in for the services (pure unit test): answers by "METHOD path" and records what was sent. */
function fakeServer(answers: Record<string, unknown>) {
  const sent: Sent[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: URL, init: RequestInit) => {
      const url = new URL(input);
      const body =
        init.body instanceof FormData ? init.body : init.body ? JSON.parse(String(init.body)) : undefined;
      sent.push({ method: init.method!, url: url.pathname + url.search, body });
      const key = `${init.method} ${url.pathname}`;
      if (!(key in answers)) return new Response(JSON.stringify({ detail: "Not Found" }), { status: 404 });
      const answer = answers[key];
      if (answer instanceof Response) return answer;
      return new Response(JSON.stringify(answer), { status: 200 });
    }),
  );
  return sent;
}

const picked = (name = "tea.png") => ({
  rawFile: new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], name, { type: "image/png" }),
  src: "blob:x",
  title: name,
});

describe("console data provider", () => {
  beforeEach(() => sessionStorage.setItem("rail.console.token", "engineer-token"));
  afterEach(() => {
    vi.unstubAllGlobals();
    sessionStorage.clear();
  });

  it("uploads a picked image first and saves the item with its URL, under the store's path", async () => {
    const sent = fakeServer({
      "POST /base_api/v1/admin/images": { id: "3f0c", url: IMAGE_URL },
      "POST /store_api/v1/admin/store/s1/item": { id: "i1", store_id: "s1", name: "Чай" },
    });
    const { data } = await dataProvider(config, ROUTES).create("items", {
      data: {
        store_id: "s1",
        name: "Чай",
        description: "",
        price_penny: 12000,
        balance: 5,
        category: "food",
        picture: picked(),
      },
    });
    expect(data.id).toBe("i1");
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual([
      "POST /base_api/v1/admin/images",
      "POST /store_api/v1/admin/store/s1/item",
    ]);
    const upload = sent[0]!.body as FormData;
    expect((upload.get("image") as File).name).toBe("tea.png");
    // The body is the store's item schema: no store_id, no file, the uploaded image's URL as logo_url.
    expect(sent[1]!.body).toEqual({
      name: "Чай",
      description: "",
      logo_url: IMAGE_URL,
      balance: 5,
      price_penny: 12000,
      category: "food",
    });
  });

  it("keeps the current picture when no new one is picked, and a failed upload saves nothing", async () => {
    const sent = fakeServer({ "PUT /store_api/v1/admin/store/item/i1": { id: "i1" } });
    await dataProvider(config, ROUTES).update("items", {
      id: "i1",
      data: {
        id: "i1",
        store_id: "s1",
        name: "Чай",
        logo_url: "/static/tea.png",
        price_penny: 1,
        balance: 0,
      },
      previousData: { id: "i1" },
    });
    expect(sent).toHaveLength(1);
    expect((sent[0]!.body as { logo_url: string }).logo_url).toBe("/static/tea.png");

    const failing = fakeServer({
      "POST /base_api/v1/admin/images": new Response(
        JSON.stringify({ detail: "Unsupported image type: JPEG, PNG or WebP only" }),
        { status: 415 },
      ),
    });
    await expect(
      dataProvider(config, ROUTES).create("hotels", {
        data: { destination_id: "SPB", name: "Нева", picture: picked("x.gif") },
      }),
    ).rejects.toMatchObject({ status: 415, detail: "Unsupported image type: JPEG, PNG or WebP only" });
    expect(failing.map((s) => s.url)).toEqual(["/base_api/v1/admin/images"]);
  });

  it("creates a hotel under its destination and moves it on edit", async () => {
    const sent = fakeServer({
      "POST /base_api/v1/admin/destination/SPB/hotel": { id: "h1", name: "Нева" },
      "PUT /base_api/v1/admin/destination_info/hotel/h1": { id: "h1", destination_id: "MOSCOW" },
    });
    const provider = dataProvider(config, ROUTES);
    await provider.create("hotels", { data: { destination_id: "SPB", name: "Нева" } });
    await provider.update("hotels", {
      id: "h1",
      data: { id: "h1", destination_id: "MOSCOW", name: "Нева", description: "", logo_url: "" },
      previousData: { id: "h1" },
    });
    expect(sent.map((s) => [`${s.method} ${s.url}`, s.body])).toEqual([
      ["POST /base_api/v1/admin/destination/SPB/hotel", { name: "Нева", description: "", logo_url: "" }],
      [
        "PUT /base_api/v1/admin/destination_info/hotel/h1",
        { destination_id: "MOSCOW", name: "Нева", description: "", logo_url: "" },
      ],
    ]);
  });

  it("reads a passenger's face examples from the path and deletes one under that passenger", async () => {
    const sent = fakeServer({
      "GET /base_api/v1/admin/user/u1/faces": {
        user_id: "u1",
        items: [{ id: "f1", created_at: "2026-12-01T10:00:00Z", detector_score: 0.99, box: {} }],
      },
      "DELETE /base_api/v1/admin/user/u1/faces/f1": { status: "OK" },
    });
    const provider = dataProvider(config, ROUTES);
    const list = await provider.getManyReference("faces", {
      target: "user_id",
      id: "u1",
      pagination: { page: 1, perPage: 25 },
      sort: { field: "created_at", order: "DESC" },
      filter: {},
    });
    expect(list.total).toBe(1);
    // The path's filter is not repeated as a query parameter; each record knows its passenger.
    expect(sent[0]!.url).toBe("/base_api/v1/admin/user/u1/faces?page=1&size=25");
    expect(list.data[0]).toMatchObject({ id: "f1", user_id: "u1" });
    await provider.delete("faces", { id: "f1", previousData: list.data[0] });
    expect(sent[1]).toMatchObject({ method: "DELETE", url: "/base_api/v1/admin/user/u1/faces/f1" });
  });

  it("lists hotels of one destination (a query filter) or of all, searched by the server", async () => {
    const sent = fakeServer({
      "GET /base_api/v1/admin/hotels": {
        items: [{ id: "h1", name: "Отель «Нева»" }],
        total: 17,
        page: 2,
        size: 10,
      },
    });
    const provider = dataProvider(config, ROUTES);
    const params = { pagination: { page: 2, perPage: 10 }, sort: { field: "name", order: "ASC" as const } };
    await provider.getList("hotels", { ...params, filter: { destination_id: "SPB" } });
    await provider.getList("hotels", { ...params, filter: { destination_id: "" } });
    // The hotels route searches by name itself: the search goes with the request, the total is the server's.
    const found = await provider.getList("hotels", { ...params, filter: { q: "нева" } });
    expect(sent.map((s) => s.url)).toEqual([
      "/base_api/v1/admin/hotels?page=2&size=10&destination_id=SPB",
      "/base_api/v1/admin/hotels?page=2&size=10",
      `/base_api/v1/admin/hotels?page=2&size=10&q=${encodeURIComponent("нева")}`,
    ]);
    expect(found.total).toBe(17);
  });

  it("lists stations from the public timetable (an array) and finds one there (no single-station read)", async () => {
    const sent = fakeServer({
      "GET /base_api/v1/timetable/stations": [
        { id: "MOSCOW", name_ru: "Москва", name_en: "Moscow" },
        { id: "SPB", name_ru: "Санкт-Петербург", name_en: "Saint Petersburg" },
      ],
    });
    const provider = dataProvider(config, ROUTES);
    const { data } = await provider.getOne("stations", { id: "SPB" });
    expect(data.name_en).toBe("Saint Petersburg");
    expect(sent[0]!.url).toMatch(/^\/base_api\/v1\/timetable\/stations\?/);
  });

  it("finds a record without a single-record route on a later page of its list", async () => {
    const page = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({ id: `u${from + i}`, name: `P${from + i}` }));
    const sent: string[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (input: URL) => {
        const url = new URL(input);
        sent.push(url.search);
        const n = Number(url.searchParams.get("page"));
        const items = n === 1 ? page(0, 100) : n === 2 ? page(100, 30) : [];
        return new Response(JSON.stringify({ items, total: 130, page: n, size: 100, pages: 2 }));
      }),
    );
    const provider = dataProvider(config, ROUTES);
    expect((await provider.getOne("engineers", { id: "u117" })).data.name).toBe("P117");
    expect(sent).toEqual(["?page=1&size=100", "?page=2&size=100"]);
    await expect(provider.getOne("engineers", { id: "nobody" })).rejects.toMatchObject({ status: 404 });
    expect(sent).toHaveLength(4); // two pages, then it stops
  });

  it("sends the engineer's token and turns a {detail} answer into an error carrying it", async () => {
    fakeServer({});
    await expect(dataProvider(config, ROUTES).getOne("items", { id: "nope" })).rejects.toMatchObject({
      status: 404,
      detail: "Not Found",
    });
    const init = vi.mocked(fetch).mock.calls[0]![1]!;
    expect((init.headers as Record<string, string>).Authorization).toBe("Bearer engineer-token");
  });

  it("makes a 422's field issues the error's message (what react-admin's notification shows)", async () => {
    fakeServer({
      "POST /store_api/v1/admin/store/s1/item": new Response(
        JSON.stringify({
          detail: [{ loc: ["body", "name"], msg: "String should have at most 50 characters" }],
        }),
        { status: 422 },
      ),
    });
    await expect(
      dataProvider(config, ROUTES).create("items", { data: { store_id: "s1", name: "x".repeat(51) } }),
    ).rejects.toMatchObject({ status: 422, message: "name: String should have at most 50 characters" });
  });

  it("withUploads leaves values without image inputs alone", async () => {
    const upload = vi.fn();
    expect(await withUploads(upload, ROUTES.stations!, { id: "SPB", name_ru: "СПб" })).toEqual({
      id: "SPB",
      name_ru: "СПб",
    });
    expect(upload).not.toHaveBeenCalled();
  });
});
