import { useState } from "react";
import {
  CreateButton,
  Datagrid,
  DeleteWithConfirmButton,
  EditButton,
  NumberField,
  NumberInput,
  ReferenceManyField,
  SelectField,
  SelectInput,
  Show,
  SimpleShowLayout,
  TextField,
  TextInput,
  minValue,
  required,
  useCreatePath,
  useRecordContext,
  useTranslate,
  type RaRecord,
} from "react-admin";
import {
  ConfirmButton,
  CreatePage,
  EditPage,
  ResourceList,
  useAction,
  type ConsoleResource,
} from "../common.js";
import { call, detailText } from "../providers.js";
import { PICTURE_UPLOAD, pictureColumn, pictureInputs } from "./places.js";

/** Parses CSV (with a header row) or a JSON array into item rows for the all-or-nothing import. */
export function parseItems(text: string): Record<string, unknown>[] {
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) return JSON.parse(trimmed) as Record<string, unknown>[];
  const [header, ...lines] = trimmed.split(/\r?\n/).filter((l) => l.trim());
  const names = (header ?? "").split(",").map((h) => h.trim());
  return lines.map((line) => {
    const cells = line.split(",");
    return Object.fromEntries(
      names.map((n, i) => {
        const v = (cells[i] ?? "").trim();
        return [n, n === "balance" || n === "price_penny" ? Number(v) : v];
      }),
    );
  });
}

function ImportItems() {
  const record = useRecordContext();
  const translate = useTranslate();
  const run = useAction();
  const [text, setText] = useState("name,description,logo_url,balance,price_penny,category\n");
  const [rejected, setRejected] = useState<string | null>(null);
  if (!record) return null;
  async function submit() {
    setRejected(null);
    let rows: Record<string, unknown>[];
    try {
      rows = parseItems(text);
    } catch (err) {
      setRejected(detailText(err));
      return;
    }
    await run(
      (config) =>
        call<{ created: number }>(config, "store", "POST", `/admin/store/${record!.id}/items/import`, {
          body: { items: rows },
        }),
      (res) => ["rail.imported", { count: res.created }],
      // Rejected rows stay on the page (the import is all or nothing), not in a passing notification.
      setRejected,
    );
  }
  return (
    <div className="ra-import">
      <h3>{translate("rail.importItems")}</h3>
      <p>{translate("rail.importHelp")}</p>
      <textarea
        aria-label={translate("rail.importItems")}
        style={{ width: "100%", fontFamily: "monospace" }}
        rows={5}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="button" onClick={() => void submit()}>
        {translate("rail.importButton")}
      </button>
      {rejected && (
        <p role="alert">
          {translate("rail.rejected")}: {rejected}
        </p>
      )}
    </div>
  );
}

interface RunChoice {
  id: string;
  train_number: number;
  departure: string;
}

function BindRun() {
  const record = useRecordContext();
  const translate = useTranslate();
  const run = useAction();
  const [runs, setRuns] = useState<RunChoice[] | null>(null);
  const [runId, setRunId] = useState("");
  if (!record) return null;
  async function load() {
    const page = await run((c) =>
      call<{ items: RunChoice[] }>(c, "base", "GET", "/admin/runs", { query: { page: 1, size: 100 } }),
    );
    if (!page) return;
    const upcoming = page.items.filter((r) => Date.parse(r.departure) > Date.now() - 86_400_000);
    setRuns(upcoming);
    setRunId(upcoming[0]?.id ?? "");
  }
  async function bind() {
    const picked = runs?.find((r) => r.id === runId);
    if (!picked) return;
    await run(
      (c) =>
        call(c, "base", "POST", `/admin/store/${record!.id}/train`, {
          body: { train_number: picked.train_number, train_date: picked.departure },
        }),
      "rail.bound",
    );
  }
  return (
    <div className="ra-bind">
      <h3>{translate("rail.bindRun")}</h3>
      {runs === null ? (
        <button type="button" onClick={() => void load()}>
          {translate("rail.bindRun")}
        </button>
      ) : (
        <>
          <select aria-label={translate("rail.run")} value={runId} onChange={(e) => setRunId(e.target.value)}>
            {runs.map((r) => (
              <option key={r.id} value={r.id}>
                {r.train_number} · {new Date(r.departure).toLocaleString()}
              </option>
            ))}
          </select>
          <button type="button" onClick={() => void bind()}>
            {translate("ra.action.save")}
          </button>
        </>
      )}
    </div>
  );
}

/** Revokes the store's terminal key (the terminal enrols again), after a confirmation. */
function RevokeTerminal() {
  const record = useRecordContext();
  const run = useAction();
  if (!record) return null;
  return (
    <ConfirmButton
      label="rail.revokeTerminal"
      content="rail.confirmRevokeTerminal"
      onConfirm={() =>
        run(
          (config) => call(config, "base", "DELETE", `/admin/store_terminals/${record.id}`),
          "rail.terminalRevoked",
        )
      }
    />
  );
}

export const ITEM_CATEGORIES = ["train_souvenirs", "city_souvenirs", "food"].map((id) => ({
  id,
  name: `rail.category.${id}`,
}));

/**
 * Deliveries (+) and write-offs (−) of a typed amount, as relative changes: a sale in between is not
 * overwritten, and the server refuses to go below zero ("Not enough items").
 */
// `label` names the Datagrid column (react-admin reads it from the element).
function StockAdjust(_: { label: string }) {
  const record = useRecordContext();
  const translate = useTranslate();
  const run = useAction();
  const [amount, setAmount] = useState("1");
  if (!record) return null;
  const adjust = (sign: 1 | -1) =>
    void run(
      (config) =>
        call(config, "store", "POST", `/admin/store/item/${record.id}/stock`, {
          body: { delta: sign * Number(amount) },
        }),
      "rail.stockChanged",
    );
  return (
    <span style={{ display: "inline-flex", gap: 4 }} onClick={(e) => e.stopPropagation()}>
      <input
        type="number"
        min={1}
        value={amount}
        aria-label={translate("rail.stockAmount", { name: record.name })}
        onChange={(e) => setAmount(e.target.value)}
        style={{ width: "4.5rem" }}
      />
      <button
        type="button"
        onClick={() => adjust(1)}
        aria-label={translate("rail.stockIn", { name: record.name })}
      >
        +
      </button>
      <button
        type="button"
        onClick={() => adjust(-1)}
        aria-label={translate("rail.stockOut", { name: record.name })}
      >
        −
      </button>
    </span>
  );
}

/** The store's catalogue: items with stock and price, each editable; "Add item" opens a form for this store. */
function StoreItems() {
  const record = useRecordContext();
  const translate = useTranslate();
  const createPath = useCreatePath();
  if (!record) return null;
  return (
    <section className="console-items">
      <h3>{translate("rail.items")}</h3>
      <CreateButton
        resource="items"
        label="rail.addItem"
        to={{
          pathname: createPath({ resource: "items", type: "create" }),
          search: `?source=${encodeURIComponent(JSON.stringify({ store_id: record.id }))}`,
        }}
      />
      <ReferenceManyField reference="items" target="store_id" sort={{ field: "name", order: "ASC" }}>
        <Datagrid bulkActionButtons={false} empty={<p>{translate("rail.noItems")}</p>}>
          {pictureColumn}
          <TextField source="name" />
          <NumberField source="balance" />
          <StockAdjust label="rail.stockAdjust" />
          <NumberField source="price_penny" />
          <SelectField source="category" choices={ITEM_CATEGORIES} />
          <EditButton />
          <DeleteWithConfirmButton redirect={false} />
        </Datagrid>
      </ReferenceManyField>
    </section>
  );
}

export const stores: ConsoleResource = {
  name: "stores",
  routes: {
    service: "store",
    list: "/admin/stores",
    one: (id) => `/admin/store/${id}`,
    create: "/admin/store",
    remove: (id) => `/admin/store/${id}`,
  },
  list: () => (
    <ResourceList sort={{ field: "name", order: "ASC" }} rowClick="show" remove>
      <TextField source="name" />
      <TextField source="store_type" />
      <TextField source="description" />
    </ResourceList>
  ),
  create: () => (
    <CreatePage redirect="show">
      <TextInput source="name" validate={required()} />
      <TextInput source="description" defaultValue="" />
      <TextInput source="logo_url" defaultValue="" />
      <SelectInput
        source="store_type"
        defaultValue="SHOP"
        choices={[
          { id: "SHOP", name: "SHOP" },
          { id: "RESTAURANT", name: "RESTAURANT" },
        ]}
      />
    </CreatePage>
  ),
  show: () => (
    <Show>
      <SimpleShowLayout>
        <TextField source="name" />
        <TextField source="store_type" />
        <TextField source="description" />
        <StoreItems />
        <ImportItems />
        <BindRun />
        <RevokeTerminal />
      </SimpleShowLayout>
    </Show>
  ),
};

const itemFields = [
  <TextInput key="name" source="name" validate={required()} />,
  <TextInput key="description" source="description" defaultValue="" multiline />,
  <NumberInput key="price" source="price_penny" validate={[required(), minValue(0)]} />,
  <NumberInput key="balance" source="balance" defaultValue={0} validate={[required(), minValue(0)]} />,
  <SelectInput key="category" source="category" choices={ITEM_CATEGORIES} validate={required()} />,
  ...pictureInputs,
];
/** After saving an item the console goes back to its store. */
const toStore = (_resource?: string, _id?: unknown, data?: Partial<RaRecord>) =>
  `stores/${String(data?.store_id)}/show`;

/** A store's items, managed by engineers (ADMIN) without a terminal session. */
export const items: ConsoleResource = {
  name: "items",
  routes: {
    service: "store",
    list: (filter) => `/admin/store/${String(filter.store_id)}/items`,
    pathFilters: ["store_id"],
    fromFilter: ["store_id"],
    serverSearch: true,
    one: (id) => `/admin/store/item/${id}`,
    create: (data) => `/admin/store/${String(data.store_id)}/item`,
    update: (id) => `/admin/store/item/${id}`,
    remove: (id) => `/admin/store/item/${id}`,
    uploads: PICTURE_UPLOAD,
    toBody: ({ name, description, logo_url, balance, price_penny, category }) => ({
      name,
      description: description ?? "",
      logo_url: logo_url ?? "",
      balance,
      price_penny,
      category,
    }),
  },
  create: () => <CreatePage redirect={toStore}>{itemFields}</CreatePage>,
  edit: () => <EditPage redirect={toStore}>{itemFields}</EditPage>,
};
