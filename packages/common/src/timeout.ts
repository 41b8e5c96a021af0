/**
 * `promise`, or a rejection when it has not settled within `ms` (the timer is cleared either way): for clients of
 * dependencies that have no time limit of their own. `onTimeout` is the error's message, or makes the error
 * (e.g. an HttpError 503 naming the dependency). A rejection that is not an Error becomes one.
 */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  onTimeout: string | (() => Error),
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(typeof onTimeout === "string" ? new Error(onTimeout) : onTimeout()),
      ms,
    );
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
