// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SeatMap, seatRows } from "./SeatMap.js";

afterEach(cleanup);

const wagon = {
  number: 3,
  seats: 6,
  places: [
    { number: 1, status: "free" as const },
    { number: 2, status: "taken" as const },
    { number: 3, status: "held" as const },
    { number: 4, status: "free" as const },
    { number: 5, status: "free" as const },
    // seat 6 missing from the answer: shown as not available
  ],
};
const label = (n: number, s: string) => `Seat ${n}, ${s}`;

describe("SeatMap", () => {
  it("lays seats out 2 + 2 per row along the wagon", () => {
    expect(seatRows(6)).toEqual([
      [
        [1, 2],
        [3, 4],
      ],
      [[5, 6], []],
    ]);
    expect(seatRows(0)).toEqual([]);
  });

  it("offers only free seats and reports the one picked", () => {
    const onSelect = vi.fn();
    render(<SeatMap wagon={wagon} selected={null} onSelect={onSelect} label={label} />);
    expect(screen.getByRole("button", { name: "Seat 1, free" })).toBeEnabled();
    expect(screen.getByRole("button", { name: "Seat 2, taken" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Seat 3, held" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Seat 6, taken" })).toBeDisabled();
    fireEvent.click(screen.getByRole("button", { name: "Seat 2, taken" }));
    expect(onSelect).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole("button", { name: "Seat 4, free" }));
    expect(onSelect).toHaveBeenCalledWith(4);
  });

  it("marks the selected seat as pressed", () => {
    render(<SeatMap wagon={wagon} selected={5} onSelect={() => {}} label={label} />);
    expect(screen.getByRole("button", { name: "Seat 5, free" })).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByRole("button", { name: "Seat 1, free" })).toHaveAttribute("aria-pressed", "false");
  });
});
