// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { BaseApi } from "../api/client.js";
import { ServicesProvider, type Services } from "../app/services.js";
import { initI18n } from "../i18n/index.js";
import { TripPage } from "./TripPage.js";

beforeAll(() => {
  initI18n("en");
});
afterEach(cleanup);

const SHOP = {
  ticket: { id: "t1", run_id: "r1", train_number: 1012, wagon_number: 2, place_number: 3 },
  stores: [
    {
      id: "s1",
      name: "Buffet",
      items: [
        { id: "tea", name: "Tea", price_penny: 12000, available: 5 },
        { id: "pie", name: "Pie", price_penny: 9000, available: 0 },
      ],
    },
  ],
};
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

/** A stand-in for the openapi-fetch client: GET answers from a table, POST /frontend/orders is scripted. */
function fakeApi(order: (init: { headers: Record<string, string>; body: unknown }) => Promise<Response>) {
  const answer = async (res: Response) => {
    const data = await res.clone().json();
    return res.ok ? { data, response: res } : { error: data, response: res };
  };
  return {
    GET: vi.fn(async (path: string) => {
      if (path === "/frontend/shop") return answer(json(200, SHOP));
      if (path === "/frontend/orders")
        return answer(json(200, { items: [], total: 0, page: 1, size: 10, pages: 0 }));
      throw new Error(`unexpected GET ${path}`);
    }),
    POST: vi.fn(async (_path: string, init: { headers: Record<string, string>; body: unknown }) =>
      answer(await order(init)),
    ),
  };
}

function renderTrip(api: ReturnType<typeof fakeApi>) {
  const services = { api: api as unknown as BaseApi } as Services;
  render(
    <ServicesProvider services={services}>
      <TripPage />
    </ServicesProvider>,
  );
}

const ORDER = {
  id: "p1",
  store_id: "s1",
  store_name: "Buffet",
  date: "2026-12-01T10:00:00Z",
  total_penny: 12000,
  status: "pending",
  items: [],
};

describe("TripPage", () => {
  it("shows sold-out items as such and totals the cart in roubles", async () => {
    renderTrip(fakeApi(async () => json(201, ORDER)));
    await screen.findByText("Buffet");
    expect(screen.getByText("Sold out")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "One more Tea" }));
    fireEvent.click(screen.getByRole("button", { name: "One more Tea" }));
    expect(screen.getByText("Total: ₽240.00")).toBeInTheDocument();
  });

  it("sends one order for a double tap", async () => {
    let release!: (res: Response) => void;
    const api = fakeApi(() => new Promise<Response>((resolve) => (release = resolve)));
    renderTrip(api);
    fireEvent.click(await screen.findByRole("button", { name: "One more Tea" }));
    const button = screen.getByRole("button", { name: "Order to my seat" });
    fireEvent.click(button);
    fireEvent.click(button);
    await act(async () => release(json(201, ORDER)));
    await screen.findByText(/Ordered\. The robot brings it to wagon 2, seat 3\./);
    expect(api.POST).toHaveBeenCalledTimes(1);
  });

  it("retries after a lost answer with the same Idempotency-Key, and uses a new one for the next order", async () => {
    let calls = 0;
    const api = fakeApi(async () => {
      calls += 1;
      if (calls === 1) throw new TypeError("Failed to fetch"); // the answer never arrived
      return json(201, ORDER);
    });
    renderTrip(api);
    fireEvent.click(await screen.findByRole("button", { name: "One more Tea" }));
    fireEvent.click(screen.getByRole("button", { name: "Order to my seat" }));
    await screen.findByText(/No connection to the server/);
    fireEvent.click(screen.getByRole("button", { name: "Order to my seat" }));
    await screen.findByText(/Ordered\./);
    const keys = api.POST.mock.calls.map(([, init]) => init.headers["Idempotency-Key"]);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);

    await waitFor(() => expect(screen.getByRole("button", { name: "One more Tea" })).toBeEnabled());
    fireEvent.click(screen.getByRole("button", { name: "One more Tea" }));
    fireEvent.click(screen.getByRole("button", { name: "Order to my seat" }));
    await waitFor(() => expect(api.POST).toHaveBeenCalledTimes(3));
    expect(api.POST.mock.calls[2]![1].headers["Idempotency-Key"]).not.toBe(keys[0]);
  });
});
