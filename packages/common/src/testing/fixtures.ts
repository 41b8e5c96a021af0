/**
 * A vitest fixture for one resource per test file (a service app over its own database, a stub server...):
 * created when the file's first test asks for it, closed after the file's last test, even when tests fail.
 * Use it with `test.extend` (as trigger.dev's postgres fixtures do) instead of hand-copied beforeAll/afterAll
 * blocks:
 *
 *   export const test = baseTest.extend<{ ctx: TestContext }>({
 *     ctx: fileFixture(() => createTestContext(), (ctx) => ctx.close()),
 *   });
 *
 * A fixture that needs other fixtures is written inline (vitest reads its dependencies from the destructured
 * first parameter, which a generic wrapper cannot declare).
 */
export function fileFixture<T>(
  create: () => Promise<T>,
  close: (value: T) => Promise<unknown> | unknown,
): [(context: object, use: (value: T) => Promise<void>) => Promise<void>, { scope: "file" }] {
  return [
    // eslint-disable-next-line no-empty-pattern -- vitest requires an object pattern here, even when empty
    async ({}: object, use: (value: T) => Promise<void>) => {
      const value = await create();
      try {
        await use(value);
      } finally {
        await close(value);
      }
    },
    { scope: "file" },
  ];
}
