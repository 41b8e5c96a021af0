import type { DataProvider, GetListParams, RaRecord } from "react-admin";
import { ApiError } from "../api/client.js";
import type { WebConfig } from "../app/config.js";
import { call, type Service } from "./providers.js";

type Data = Record<string, unknown>;

/** How one console resource maps onto the services' routes (they differ: reference-compatible paths). */
export interface ResourceRoutes {
  service: Service;
  /** The list's path; a function when the path holds filters (a store's items, a destination's hotels). */
  list: string | ((filter: Data) => string);
  /** Filters the list's path already holds: not sent again as query parameters. */
  pathFilters?: string[];
  one?: (id: string) => string;
  create?: string | ((data: Data) => string);
  update?: (id: string, data: Data) => string;
  remove?: (id: string, record: Data) => string;
  /** Field that identifies a record when it has no `id` (trains: `number`). */
  idField?: string;
  /** Field of the list answer holding the records when it is neither a page nor an array (ticket keys: `keys`). */
  itemsField?: string;
  /** Body sent on create/update (defaults to the form's values without `id`). */
  toBody?: (data: Data) => unknown;
  /** The list route searches itself (`q`, by name): search reaches every page, not only the one shown. */
  serverSearch?: boolean;
  /** Fields added to every record read (the filter a nested list was read with, e.g. its `store_id`). */
  fromFilter?: string[];
  /**
   * Image inputs uploaded before the record is saved: the file goes to `path` (multipart part `image`, answer
   * `{url}`) and its URL into the field `into` (the services keep `logo_url` strings).
   */
  uploads?: Record<string, { service: Service; path: string; into: string }>;
}

/** The usual shape: a collection path whose records live at `<path>/<id>`. */
export function rest(service: Service, path: string, extra: Partial<ResourceRoutes> = {}): ResourceRoutes {
  const at = (id: string) => `${path}/${encodeURIComponent(id)}`;
  return { service, list: path, one: at, create: path, update: at, remove: at, ...extra };
}

const withId = (r: ResourceRoutes, record: Data): RaRecord =>
  ({ ...record, id: (record.id ?? record[r.idField ?? "id"] ?? record.run_id) as string }) as RaRecord;

/** A list answer: the kit's `{items,total,...}` page, a plain array, or an array in `itemsField`. */
export function asPage(data: unknown, itemsField?: string): { items: Data[]; total: number } {
  if (itemsField) data = (data as Data)[itemsField] ?? [];
  if (Array.isArray(data)) return { items: data as Data[], total: data.length };
  const page = data as { items: Data[]; total?: number };
  return { items: page.items, total: page.total ?? page.items.length };
}

/** Search and sort inside the page the server returned (its list routes page, but neither sort nor search). */
export function searchAndSort(items: RaRecord[], params: Pick<GetListParams, "filter" | "sort">): RaRecord[] {
  const q = typeof params.filter?.q === "string" ? params.filter.q.trim().toLowerCase() : "";
  const found = q ? items.filter((r) => JSON.stringify(r).toLowerCase().includes(q)) : items;
  const { field, order } = params.sort ?? { field: "", order: "ASC" };
  if (!field) return found;
  const sign = order === "DESC" ? -1 : 1;
  return [...found].sort((a, b) => {
    const x = a[field] as string | number;
    const y = b[field] as string | number;
    return x === y ? 0 : x > y ? sign : -sign;
  });
}

/** A file picked in a react-admin FileInput/ImageInput: `{rawFile, src, title}`. */
const fileOf = (value: unknown): File | undefined =>
  value && typeof value === "object" && (value as { rawFile?: unknown }).rawFile instanceof Blob
    ? ((value as { rawFile: File }).rawFile as File)
    : undefined;

/**
 * Uploads the picked images of `data` (see `ResourceRoutes.uploads`) and returns the values with their URLs in
 * place of the files; an input left as it was keeps the field's current value.
 */
export async function withUploads(
  upload: (target: { service: Service; path: string }, form: FormData) => Promise<{ url: string }>,
  r: ResourceRoutes,
  data: Data,
): Promise<Data> {
  const out: Data = { ...data };
  for (const [field, target] of Object.entries(r.uploads ?? {})) {
    const file = fileOf(data[field]);
    delete out[field];
    if (!file) continue;
    const form = new FormData();
    form.append("image", file, file.name);
    out[target.into] = (await upload(target, form)).url;
  }
  return out;
}

export function dataProvider(config: WebConfig, table: Record<string, ResourceRoutes>): DataProvider {
  const routes = (resource: string) => {
    const r = table[resource];
    if (!r) throw new Error(`unknown resource ${resource}`);
    return r;
  };
  const body = (r: ResourceRoutes, data: Data) => {
    if (r.toBody) return r.toBody(data);
    const { id: _id, ...rest } = data;
    return rest;
  };
  const prepare = (r: ResourceRoutes, data: Data) =>
    withUploads((t, form) => call(config, t.service, "POST", t.path, { body: form }), r, data);
  const getList = async (resource: string, params: GetListParams) => {
    const r = routes(resource);
    const { page = 1, perPage = 25 } = params.pagination ?? {};
    const { q, ...filters } = (params.filter ?? {}) as Data;
    const query = Object.fromEntries(
      Object.entries({ ...filters, ...(r.serverSearch ? { q } : {}) }).filter(
        ([k, v]) => v !== "" && v !== undefined && !(r.pathFilters ?? []).includes(k),
      ),
    ) as Record<string, string>;
    const path = typeof r.list === "string" ? r.list : r.list(filters);
    const data = await call(config, r.service, "GET", path, { query: { page, size: perPage, ...query } });
    const { items, total } = asPage(data, r.itemsField);
    const context = Object.fromEntries((r.fromFilter ?? []).map((k) => [k, filters[k]]));
    const records = searchAndSort(
      items.map((i) => withId(r, { ...context, ...i })),
      params,
    );
    return { data: records, total: params.filter?.q && !r.serverSearch ? records.length : total };
  };
  const provider: DataProvider = {
    getList: getList as DataProvider["getList"],
    async getOne(resource, { id }) {
      const r = routes(resource);
      if (r.one) return { data: withId(r, await call(config, r.service, "GET", r.one(String(id)))) } as never;
      // No single-record read: look through the list's pages (100 a page, the services' largest).
      for (let page = 1; ; page++) {
        const { data, total } = await getList(resource, {
          pagination: { page, perPage: 100 },
          sort: { field: "", order: "ASC" },
          filter: {},
        });
        const found = data.find((x) => String(x.id) === String(id));
        if (found) return { data: found } as never;
        if (data.length === 0 || page * 100 >= total) throw new ApiError(404, "Not found");
      }
    },
    async getMany(resource, { ids }) {
      const all = await Promise.all(ids.map((id) => provider.getOne(resource, { id })));
      return { data: all.map((x) => x.data) } as never;
    },
    async getManyReference(resource, params) {
      return getList(resource, {
        ...params,
        filter: { ...params.filter, [params.target]: params.id },
      }) as never;
    },
    async create(resource, { data }) {
      const r = routes(resource);
      if (!r.create) throw new Error(`${resource} cannot be created here`);
      const values = await prepare(r, data as Data);
      const path = typeof r.create === "string" ? r.create : r.create(values);
      const created = await call<unknown>(config, r.service, "POST", path, { body: body(r, values) });
      const first = Array.isArray(created)
        ? created[0]
        : ((created as { items?: unknown[] }).items?.[0] ?? created);
      return { data: withId(r, first as Data) } as never;
    },
    async update(resource, { id, data }) {
      const r = routes(resource);
      if (!r.update) throw new Error(`${resource} cannot be edited here`);
      const values = await prepare(r, data as Data);
      const updated = await call<Data>(config, r.service, "PUT", r.update(String(id), values), {
        body: body(r, values),
      });
      return { data: withId(r, { ...values, ...(updated ?? {}) }) } as never;
    },
    async updateMany() {
      throw new Error("not supported");
    },
    async delete(resource, { id, previousData }) {
      const r = routes(resource);
      if (!r.remove) throw new Error(`${resource} cannot be deleted here`);
      await call(config, r.service, "DELETE", r.remove(String(id), (previousData ?? {}) as Data));
      return { data: previousData ?? ({ id } as RaRecord) } as never;
    },
    async deleteMany(resource, { ids }) {
      for (const id of ids) await provider.delete(resource, { id });
      return { data: ids } as never;
    },
  };
  return provider;
}
