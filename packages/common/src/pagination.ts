import { z } from "zod";

/** `page` >= 1 (default 1), `size` 1..100 (default 50), as fastapi-pagination did. */
export const pageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  size: z.coerce.number().int().min(1).max(100).default(50),
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
    total: z.number().int(),
    page: z.number().int(),
    size: z.number().int(),
    pages: z.number().int(),
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
