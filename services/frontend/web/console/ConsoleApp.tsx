import { useMemo, useState } from "react";
import {
  Admin,
  AutocompleteInput,
  Button,
  Confirm,
  TopToolbar,
  CheckboxGroupInput,
  ReferenceInput,
  ArrayField,
  ArrayInput,
  Create,
  Datagrid,
  DateField,
  DateTimeInput,
  DeleteWithConfirmButton,
  Edit,
  List,
  NumberField,
  NumberInput,
  Resource,
  SearchInput,
  SelectField,
  SelectInput,
  Show,
  SimpleForm,
  SimpleFormIterator,
  SimpleShowLayout,
  TextField,
  TextInput,
  required,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from "react-admin";
import { useServices } from "../app/services.js";
import { QrCode } from "../components/QrCode.js";
import { authProvider, call, dataProvider, detailText, i18nProvider } from "./providers.js";

const search = [<SearchInput key="q" source="q" alwaysOn />];
const WAGON_CLASSES = ["economy", "comfort", "business", "first"].map((id) => ({ id, name: id }));

const StationList = () => (
  <List filters={search} sort={{ field: "id", order: "ASC" }}>
    <Datagrid rowClick="edit" bulkActionButtons={false}>
      <TextField source="id" />
      <TextField source="name_ru" />
      <TextField source="name_en" />
      <TextField source="time_zone" />
      <DeleteWithConfirmButton />
    </Datagrid>
  </List>
);
const stationFields = (
  <>
    <TextInput source="name_ru" validate={required()} />
    <TextInput source="name_en" validate={required()} />
    <TextInput source="time_zone" defaultValue="Europe/Moscow" validate={required()} />
  </>
);
const StationCreate = () => (
  <Create redirect="list">
    <SimpleForm>
      <TextInput source="id" validate={required()} helperText="MOSCOW, SPB, …" />
      {stationFields}
    </SimpleForm>
  </Create>
);
const StationEdit = () => (
  <Edit mutationMode="pessimistic">
    <SimpleForm>
      <TextInput source="id" disabled />
      {stationFields}
    </SimpleForm>
  </Edit>
);

const TrainList = () => (
  <List filters={search} sort={{ field: "number", order: "ASC" }}>
    <Datagrid rowClick="show" bulkActionButtons={false}>
      <NumberField source="number" />
      <TextField source="name" />
      <DeleteWithConfirmButton />
    </Datagrid>
  </List>
);
const TrainShow = () => (
  <Show>
    <SimpleShowLayout>
      <NumberField source="number" />
      <TextField source="name" />
      <ArrayField source="stops">
        <Datagrid bulkActionButtons={false}>
          <TextField source="station_id" />
          <NumberField source="arrival_minutes" />
          <NumberField source="departure_minutes" />
        </Datagrid>
      </ArrayField>
      <ArrayField source="wagons">
        <Datagrid bulkActionButtons={false}>
          <NumberField source="number" />
          <TextField source="class" />
          <NumberField source="seats" />
        </Datagrid>
      </ArrayField>
    </SimpleShowLayout>
  </Show>
);
const TrainCreate = () => (
  <Create redirect="show">
    <SimpleForm>
      <NumberInput source="number" validate={required()} />
      <TextInput source="name" />
      <ArrayInput source="stops" validate={required()}>
        <SimpleFormIterator inline>
          <TextInput source="station_id" validate={required()} />
          <NumberInput source="arrival_minutes" />
          <NumberInput source="departure_minutes" />
        </SimpleFormIterator>
      </ArrayInput>
      <ArrayInput source="wagons" validate={required()}>
        <SimpleFormIterator inline>
          <NumberInput source="number" validate={required()} />
          <SelectInput source="class" choices={WAGON_CLASSES} validate={required()} />
          <NumberInput source="seats" validate={required()} />
        </SimpleFormIterator>
      </ArrayInput>
    </SimpleForm>
  </Create>
);

const RunList = () => (
  <List
    filters={[...search, <NumberInput key="t" source="train_number" />]}
    sort={{ field: "departure", order: "ASC" }}
  >
    <Datagrid bulkActionButtons={false}>
      <NumberField source="train_number" />
      <DateField source="departure" showTime />
      <DateField source="arrival" showTime />
      <TextField source="origin" />
      <TextField source="terminus" />
      <DeleteWithConfirmButton />
    </Datagrid>
  </List>
);
const RunCreate = () => (
  <Create redirect="list">
    <SimpleForm>
      <NumberInput source="train_number" validate={required()} />
      <DateTimeInput
        source="departure"
        validate={required()}
        parse={(v: string) => (v ? new Date(v).toISOString() : v)}
      />
    </SimpleForm>
  </Create>
);

const StoreList = () => (
  <List filters={search} sort={{ field: "name", order: "ASC" }}>
    <Datagrid rowClick="show" bulkActionButtons={false}>
      <TextField source="name" />
      <TextField source="store_type" />
      <TextField source="description" />
      <DeleteWithConfirmButton />
    </Datagrid>
  </List>
);
const StoreCreate = () => (
  <Create redirect="show">
    <SimpleForm>
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
    </SimpleForm>
  </Create>
);

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
  const notify = useNotify();
  const refresh = useRefresh();
  const { config } = useServices();
  const [text, setText] = useState("name,description,logo_url,balance,price_penny,category\n");
  const [rejected, setRejected] = useState<string | null>(null);
  if (!record) return null;
  async function submit() {
    setRejected(null);
    try {
      const rows = parseItems(text);
      const res = await call<{ created: number }>(
        config,
        "store",
        "POST",
        `/admin/store/${record!.id}/items/import`,
        {
          body: { items: rows },
        },
      );
      notify(translate("rail.imported", { count: res.created }), { type: "success" });
      refresh();
    } catch (err) {
      setRejected(detailText(err));
    }
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

function BindRun() {
  const record = useRecordContext();
  const translate = useTranslate();
  const notify = useNotify();
  const { config } = useServices();
  const [runs, setRuns] = useState<{ id: string; train_number: number; departure: string }[] | null>(null);
  const [runId, setRunId] = useState("");
  if (!record) return null;
  async function load() {
    const page = await call<{ items: { id: string; train_number: number; departure: string }[] }>(
      config,
      "base",
      "GET",
      "/admin/runs",
      { query: { page: 1, size: 100 } },
    );
    const upcoming = page.items.filter((r) => Date.parse(r.departure) > Date.now() - 86_400_000);
    setRuns(upcoming);
    setRunId(upcoming[0]?.id ?? "");
  }
  async function bind() {
    const run = runs?.find((r) => r.id === runId);
    if (!run) return;
    try {
      await call(config, "base", "POST", `/admin/store/${record!.id}/train`, {
        body: { train_number: run.train_number, train_date: run.departure },
      });
      notify(translate("rail.bound"), { type: "success" });
    } catch (err) {
      notify(detailText(err), { type: "error" });
    }
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

const StoreShow = () => {
  const translate = useTranslate();
  return (
    <Show>
      <SimpleShowLayout>
        <TextField source="name" />
        <TextField source="store_type" />
        <TextField source="description" />
        <ArrayField source="items" label={translate("rail.items")}>
          <Datagrid bulkActionButtons={false}>
            <TextField source="name" />
            <NumberField source="balance" />
            <NumberField source="price_penny" />
            <TextField source="category" />
          </Datagrid>
        </ArrayField>
        <ImportItems />
        <BindRun />
        <RevokeTerminal />
      </SimpleShowLayout>
    </Show>
  );
};

const RobotList = () => (
  <List filters={search}>
    <Datagrid bulkActionButtons={false}>
      <TextField source="robot_model_name" />
      <TextField source="robot_model_id" />
      <TextField source="id" />
      <TextField source="key_fingerprint_sha256" />
      <DateField source="enrolled_at" showTime />
      <DateField source="last_login_at" showTime emptyText="—" />
      <DeleteWithConfirmButton label="rail.revoke" />
    </Datagrid>
  </List>
);
const RobotCreate = () => (
  <Create redirect="list">
    <SimpleForm>
      <TextInput source="login" validate={required()} autoComplete="username" />
      <TextInput source="password" type="password" validate={required()} autoComplete="current-password" />
      <TextInput source="robot_model_id" validate={required()} />
      <TextInput source="robot_model_name" validate={required()} />
      <TextInput source="public_key" multiline minRows={6} validate={required()} fullWidth />
    </SimpleForm>
  </Create>
);

function RevokeTerminal() {
  const record = useRecordContext();
  const translate = useTranslate();
  const notify = useNotify();
  const { config } = useServices();
  if (!record) return null;
  async function revoke() {
    if (!window.confirm(translate("rail.confirmRevokeTerminal"))) return;
    try {
      await call(config, "base", "DELETE", `/admin/store_terminals/${record!.id}`);
      notify(translate("rail.terminalRevoked"), { type: "success" });
    } catch (err) {
      notify(detailText(err), { type: "error" });
    }
  }
  return (
    <button type="button" onClick={() => void revoke()}>
      {translate("rail.revokeTerminal")}
    </button>
  );
}

const StoreTerminalList = () => (
  <List filters={search} sort={{ field: "enrolled_at", order: "DESC" }}>
    <Datagrid bulkActionButtons={false}>
      <TextField source="store_id" />
      <TextField source="key_fingerprint_sha256" />
      <DateField source="enrolled_at" showTime />
      <DateField source="last_login_at" showTime emptyText="—" />
      <DeleteWithConfirmButton label="rail.revoke" />
    </Datagrid>
  </List>
);

/** Rotates the ticket signing key after a confirmation; codes signed by the old key stay valid until they expire. */
function RotateKeyButton() {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { config } = useServices();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  async function rotate() {
    setBusy(true);
    try {
      const res = await call<{ kid: string }>(config, "base", "POST", "/admin/ticket_keys/rotate");
      notify(translate("rail.keyRotated", { kid: res.kid }), { type: "success" });
      refresh();
    } catch (err) {
      notify(detailText(err), { type: "error" });
    } finally {
      setBusy(false);
      setOpen(false);
    }
  }
  return (
    <>
      <Button label="rail.rotateKey" onClick={() => setOpen(true)} disabled={busy} />
      <Confirm
        isOpen={open}
        loading={busy}
        title="rail.rotateKey"
        content="rail.confirmRotateKey"
        onConfirm={() => void rotate()}
        onClose={() => setOpen(false)}
      />
    </>
  );
}
const KEY_STATUSES = [
  { id: "current", name: "rail.keyCurrent" },
  { id: "retired", name: "rail.keyRetired" },
];
const TicketKeyList = () => (
  <List
    actions={
      <TopToolbar>
        <RotateKeyButton />
      </TopToolbar>
    }
    sort={{ field: "valid_from", order: "DESC" }}
    pagination={false}
  >
    <Datagrid bulkActionButtons={false}>
      <TextField source="kid" />
      <SelectField source="status" choices={KEY_STATUSES} />
      <DateField source="valid_from" showTime />
      <DateField source="retired_at" showTime emptyText="—" />
      <DateField source="codes_valid_until" showTime emptyText="—" />
      <TextField source="x" />
    </Datagrid>
  </List>
);

const TicketUseConflictList = () => (
  <List filters={search} sort={{ field: "received_at", order: "DESC" }}>
    <Datagrid bulkActionButtons={false}>
      <TextField source="ticket_id" />
      <NumberField source="train_number" />
      <DateField source="run_start" showTime />
      <TextField source="station_id" />
      <NumberField source="wagon_number" />
      <TextField source="robot_id" />
      <DateField source="first_used_at" showTime emptyText="—" />
      <DateField source="used_at" showTime />
      <DateField source="received_at" showTime />
    </Datagrid>
  </List>
);

const AuthCardList = () => (
  <List filters={search} sort={{ field: "engineer_login", order: "ASC" }}>
    <Datagrid bulkActionButtons={false}>
      <TextField source="engineer_login" />
      <TextField source="key_masked" />
      <TextField source="engineer_id" />
      <DateField source="created_at" showTime />
    </Datagrid>
  </List>
);

function AuditChange() {
  const record = useRecordContext();
  if (!record) return null;
  return (
    <pre className="audit-change">
      {JSON.stringify({ request: record.request, before: record.before, after: record.after }, null, 2)}
    </pre>
  );
}
const AuditList = () => (
  <List
    filters={[
      <TextInput key="actor" source="actor" alwaysOn />,
      <TextInput key="entity" source="entity" alwaysOn />,
      <TextInput key="action" source="action" />,
    ]}
    sort={{ field: "at", order: "DESC" }}
  >
    <Datagrid bulkActionButtons={false} expand={<AuditChange />}>
      <DateField source="at" showTime />
      <TextField source="actor_login" />
      <TextField source="action" />
      <TextField source="entity" />
      <TextField source="entity_id" />
      <NumberField source="status" />
    </Datagrid>
  </List>
);

const PassengerList = () => (
  <List filters={search}>
    <Datagrid bulkActionButtons={false}>
      <TextField source="name" />
      <TextField source="id" />
      <DeleteWithConfirmButton />
    </Datagrid>
  </List>
);
/** The ticket's QR code (its signed code, as robots check it), shown on demand for printing. */
function TicketQr() {
  const record = useRecordContext();
  const translate = useTranslate();
  const { config } = useServices();
  const [code, setCode] = useState<string | null>(null);
  if (!record) return null;
  if (code)
    return (
      <span className="console-qr" onClick={(e) => e.stopPropagation()}>
        <QrCode value={code} size={160} alt={translate("rail.ticketQr")} />
        <button type="button" onClick={() => window.print()}>
          {translate("rail.print")}
        </button>
      </span>
    );
  async function show(event: React.MouseEvent) {
    event.stopPropagation();
    const signed = await call<{ signed_code: string }>(
      config,
      "base",
      "GET",
      `/admin/ticket/${record!.id}/signed_code`,
    );
    setCode(signed.signed_code);
  }
  return (
    <button type="button" onClick={(e) => void show(e)}>
      QR
    </button>
  );
}

const TicketCreate = () => (
  <Create redirect="list">
    <SimpleForm>
      <ReferenceInput source="user_id" reference="passengers">
        <AutocompleteInput optionText="name" validate={required()} />
      </ReferenceInput>
      <ReferenceInput source="run_id" reference="runs" sort={{ field: "departure", order: "ASC" }}>
        <SelectInput
          optionText={(r: { train_number: number; departure: string }) =>
            `${r.train_number} · ${new Date(r.departure).toLocaleString()}`
          }
          validate={required()}
        />
      </ReferenceInput>
      <NumberInput source="wagon_number" validate={required()} />
      <NumberInput source="place_number" validate={required()} />
      <TextInput source="station_id" defaultValue="MOSCOW" validate={required()} />
      <TextInput source="destination" defaultValue="SPB" validate={required()} />
    </SimpleForm>
  </Create>
);

const TicketList = () => (
  <List filters={search} sort={{ field: "date", order: "DESC" }}>
    <Datagrid bulkActionButtons={false}>
      <NumberField source="train_number" />
      <NumberField source="wagon_number" />
      <NumberField source="place_number" />
      <TextField source="station_id" />
      <TextField source="destination" />
      <DateField source="date" showTime />
      <TicketQr />
      <DeleteWithConfirmButton />
    </Datagrid>
  </List>
);
const PRIVILEGES = ["ROBOT_LOGIN", "STORE_LOGIN", "ROBOT_ADMIN", "ADMIN"].map((id) => ({ id, name: id }));
const EngineerCreate = () => (
  <Create redirect="list">
    <SimpleForm>
      <TextInput source="login" validate={required()} autoComplete="off" />
      <TextInput source="password" type="password" validate={required()} autoComplete="new-password" />
      <CheckboxGroupInput source="privileges" choices={PRIVILEGES} />
    </SimpleForm>
  </Create>
);
const EngineerEdit = () => (
  <Edit mutationMode="pessimistic">
    <SimpleForm>
      <TextInput source="login" disabled />
      <CheckboxGroupInput source="privileges" choices={PRIVILEGES} helperText="rail.privilegesReplace" />
    </SimpleForm>
  </Edit>
);

const EngineerList = () => (
  <List filters={search}>
    <Datagrid rowClick="edit" bulkActionButtons={false}>
      <TextField source="login" />
      <TextField source="id" />
      <DeleteWithConfirmButton />
    </Datagrid>
  </List>
);

/** The engineer console at /console/: react-admin over the base and store admin APIs. */
export function ConsoleApp() {
  const { config } = useServices();
  const providers = useMemo(
    () => ({ auth: authProvider(config), data: dataProvider(config), i18n: i18nProvider() }),
    [config],
  );
  return (
    <Admin
      basename="/console"
      title="Railway"
      authProvider={providers.auth}
      dataProvider={providers.data}
      i18nProvider={providers.i18n}
      requireAuth
      disableTelemetry
    >
      <Resource name="stores" list={StoreList} create={StoreCreate} show={StoreShow} />
      <Resource name="stations" list={StationList} create={StationCreate} edit={StationEdit} />
      <Resource name="trains" list={TrainList} create={TrainCreate} show={TrainShow} />
      <Resource name="runs" list={RunList} create={RunCreate} />
      <Resource name="robots" list={RobotList} create={RobotCreate} />
      <Resource name="passengers" list={PassengerList} />
      <Resource name="audit" list={AuditList} />
      <Resource name="tickets" list={TicketList} create={TicketCreate} />
      <Resource name="engineers" list={EngineerList} create={EngineerCreate} edit={EngineerEdit} />
      <Resource name="auth_cards" list={AuthCardList} />
      <Resource name="store_terminals" list={StoreTerminalList} />
      <Resource name="ticket_keys" list={TicketKeyList} />
      <Resource name="ticket_use_conflicts" list={TicketUseConflictList} />
    </Admin>
  );
}
