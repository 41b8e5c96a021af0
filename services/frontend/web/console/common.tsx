import { useState, type ComponentType, type ReactElement, type ReactNode } from "react";
import {
  Button,
  Confirm,
  Create,
  Datagrid,
  DeleteWithConfirmButton,
  Edit,
  List,
  ReferenceInput,
  SelectInput,
  required,
  SearchInput,
  SimpleForm,
  useNotify,
  useRefresh,
  useTranslate,
  type RecordToStringFunction,
  type RedirectionSideEffect,
  type SortPayload,
} from "react-admin";
import { useServices } from "../app/services.js";
import type { ResourceRoutes } from "./data.js";
import { detailText } from "./providers.js";

/** One console resource: its routes (for the data provider) and its pages (for react-admin's `<Resource>`). */
export interface ConsoleResource {
  name: string;
  routes: ResourceRoutes;
  list?: ComponentType;
  create?: ComponentType;
  edit?: ComponentType;
  show?: ComponentType;
  /** How a record of this resource is named where it is referenced (react-admin's recordRepresentation). */
  recordRepresentation?: string | RecordToStringFunction;
}

export const search = [<SearchInput key="q" source="q" alwaysOn />];

/**
 * A list page: the page's records in a table, searchable unless `filters` says otherwise, and (with `remove`)
 * a delete button that asks for confirmation first.
 */
export function ResourceList(props: {
  children: ReactNode;
  filters?: ReactElement[] | null;
  sort?: SortPayload;
  rowClick?: "edit" | "show";
  remove?: boolean | string;
  actions?: ReactElement;
  pagination?: false;
  expand?: ReactElement;
  filterDefaultValues?: Record<string, unknown>;
}) {
  const { filters = search, remove } = props;
  return (
    <List
      filters={filters ?? undefined}
      sort={props.sort}
      actions={props.actions}
      pagination={props.pagination}
      filterDefaultValues={props.filterDefaultValues}
    >
      <Datagrid rowClick={props.rowClick} bulkActionButtons={false} expand={props.expand}>
        {props.children}
        {remove && <DeleteWithConfirmButton label={typeof remove === "string" ? remove : undefined} />}
      </Datagrid>
    </List>
  );
}

interface FormPageProps {
  children: ReactNode;
  redirect?: RedirectionSideEffect;
}

/** A create page with one simple form; after saving it goes to the list (or where `redirect` says). */
export const CreatePage = ({ children, redirect = "list" }: FormPageProps) => (
  <Create redirect={redirect}>
    <SimpleForm>{children}</SimpleForm>
  </Create>
);

/** An edit page that waits for the server (so its `detail` is shown before leaving the page). */
export const EditPage = ({ children, redirect = "list" }: FormPageProps) => (
  <Edit mutationMode="pessimistic" redirect={redirect}>
    <SimpleForm>{children}</SimpleForm>
  </Edit>
);

/**
 * Runs one console action against a service: a success message (translated, with the result's values) and a
 * refresh, or the server's `detail` as an error notification (or to `onError`). Returns the result, or undefined
 * on error.
 */
export function useAction() {
  const { config } = useServices();
  const notify = useNotify();
  const translate = useTranslate();
  const refresh = useRefresh();
  return async function run<T>(
    work: (c: typeof config) => Promise<T>,
    success?: string | ((result: T) => [string, Record<string, unknown>]),
    onError: (detail: string) => void = (detail) => notify(detail, { type: "error" }),
  ): Promise<T | undefined> {
    try {
      const result = await work(config);
      if (success) {
        const [key, args] = typeof success === "string" ? [success, {}] : success(result);
        notify(translate(key, args), { type: "success" });
      }
      refresh();
      return result;
    } catch (err) {
      onError(detailText(err));
      return undefined;
    }
  };
}

/** A button that asks in a dialog before it acts (rotating a key, revoking a terminal, deleting a face). */
export function ConfirmButton(props: {
  label: string;
  content: string;
  onConfirm: () => Promise<unknown>;
  icon?: ReactElement;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  async function confirm() {
    setBusy(true);
    try {
      await props.onConfirm();
    } finally {
      setBusy(false);
      setOpen(false);
    }
  }
  return (
    <>
      <Button
        label={props.label}
        onClick={(e) => {
          e.stopPropagation();
          setOpen(true);
        }}
        disabled={busy}
      >
        {props.icon}
      </Button>
      <Confirm
        isOpen={open}
        loading={busy}
        title={props.label}
        content={props.content}
        onConfirm={() => void confirm()}
        onClose={() => setOpen(false)}
      />
    </>
  );
}

/** A labelled file picker for one image (face photos): calls `onFile` with the picked file. */
export function ImagePicker({ label, onFile }: { label: string; onFile: (file: File) => void }) {
  const translate = useTranslate();
  return (
    <label style={{ display: "block", margin: "1rem 0" }}>
      {translate(label)}{" "}
      <input
        type="file"
        accept="image/jpeg,image/png"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = "";
          if (file) onFile(file);
        }}
      />
    </label>
  );
}

/** How a station reads wherever one is picked or referenced: both names and the code. */
export const stationName = (s: { id: string; name_ru: string; name_en: string }) =>
  `${s.name_ru} / ${s.name_en} (${s.id})`;

/**
 * A station picked from the stations list, never typed. In a list's filters (`alwaysOn`) it may be left empty;
 * in a form it is required.
 */
export function StationInput(props: { source: string; defaultValue?: string; alwaysOn?: boolean }) {
  return (
    <ReferenceInput
      source={props.source}
      reference="stations"
      sort={{ field: "id", order: "ASC" }}
      perPage={100}
    >
      <SelectInput
        optionText={stationName}
        defaultValue={props.defaultValue}
        validate={props.alwaysOn ? undefined : required()}
        sx={{ minWidth: 260 }}
      />
    </ReferenceInput>
  );
}
