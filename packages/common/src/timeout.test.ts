import { describe, expect, it } from "vitest";
import { withTimeout } from "./timeout.js";

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe("withTimeout", () => {
  it("passes the value through when the promise settles in time", async () => {
    expect(await withTimeout(after(5, "ok"), 1_000, "slow")).toBe("ok");
  });

  it("rejects with the message, or the error made by onTimeout, once the time is up", async () => {
    await expect(withTimeout(after(1_000, "late"), 10, "Redis did not answer")).rejects.toThrow(
      "Redis did not answer",
    );
    const custom = new Error("Keycloak unavailable");
    await expect(withTimeout(after(1_000, "late"), 10, () => custom)).rejects.toBe(custom);
  });

  it("passes rejections through, turning non-Errors into Errors", async () => {
    await expect(withTimeout(Promise.reject(new TypeError("refused")), 1_000, "x")).rejects.toThrow(
      TypeError,
    );
    await expect(withTimeout(Promise.reject("plain"), 1_000, "x")).rejects.toThrow("plain");
  });
});
