import { z } from "zod";

/**
 * `page` >= 1 (default 1), `size` 1..100 (default 50), as fastapi-pagination did. Bounds and examples keep the
 * OpenAPI document's sample values realistic (an unbounded zod integer shows up as -9007199254740991).
 */
export const pageQuerySchema = z.object({
  page: z.coerce
    .number()
    .int()
    .min(1)
    .default(1)
    .meta({ examples: [1] }),
  size: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(50)
    .meta({ examples: [50] }),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  size: number;
  pages: number;
}

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z
      .number()
      .int()
      .min(0)
      .meta({ examples: [1] }),
    page: z
      .number()
      .int()
      .min(1)
      .meta({ examples: [1] }),
    size: z
      .number()
      .int()
      .min(1)
      .max(100)
      .meta({ examples: [50] }),
    pages: z
      .number()
      .int()
      .min(0)
      .meta({ examples: [1] }),
  });

/**
 * Runs the count and the page query (both in SQL: `skip`/`take` are pushed to the database) and builds the
 * envelope. `fetch` receives the offset and limit.
 */
export async function paginate<Row, T = Row>(
  query: PageQuery,
  count: () => Promise<number>,
  fetch: (window: { skip: number; take: number }) => Promise<Row[]>,
  map: (row: Row) => T = (row) => row as unknown as T,
): Promise<Page<T>> {
  const skip = (query.page - 1) * query.size;
  const [total, rows] = await Promise.all([count(), fetch({ skip, take: query.size })]);
  return {
    items: rows.map(map),
    total,
    page: query.page,
    size: query.size,
    pages: Math.ceil(total / query.size),
  };
}
