// @vitest-environment jsdom
import { act, cleanup, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Countdown, formatSeconds, secondsLeft } from "./Countdown.js";

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date("2026-12-01T10:00:00Z"));
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe("Countdown", () => {
  it("formats whole seconds left, never below zero", () => {
    const now = Date.parse("2026-12-01T10:00:00Z");
    expect(secondsLeft("2026-12-01T10:10:00Z", now)).toBe(600);
    expect(secondsLeft("2026-12-01T10:00:00.400Z", now)).toBe(1);
    expect(secondsLeft("2026-12-01T09:59:00Z", now)).toBe(0);
    expect(formatSeconds(605)).toBe("10:05");
    expect(formatSeconds(59)).toBe("0:59");
  });

  it("ticks down each second and calls onExpire exactly once at zero", () => {
    const onExpire = vi.fn();
    render(<Countdown expiresAt="2026-12-01T10:00:03Z" onExpire={onExpire} label={(t) => `held ${t}`} />);
    expect(screen.getByRole("timer")).toHaveTextContent("held 0:03");
    act(() => void vi.advanceTimersByTime(1000));
    expect(screen.getByRole("timer")).toHaveTextContent("held 0:02");
    expect(onExpire).not.toHaveBeenCalled();
    act(() => void vi.advanceTimersByTime(2000));
    expect(screen.getByRole("timer")).toHaveTextContent("held 0:00");
    act(() => void vi.advanceTimersByTime(5000));
    expect(onExpire).toHaveBeenCalledTimes(1);
  });

  it("warns in the last minute", () => {
    render(<Countdown expiresAt="2026-12-01T10:01:30Z" onExpire={() => {}} label={(t) => t} />);
    expect(screen.getByRole("timer")).not.toHaveClass("urgent");
    act(() => void vi.advanceTimersByTime(31_000));
    expect(screen.getByRole("timer")).toHaveClass("urgent");
  });
});
