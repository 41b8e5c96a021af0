import { useState } from "react";
import {
  Datagrid,
  DateField,
  DeleteWithConfirmButton,
  FunctionField,
  NumberField,
  ReferenceManyField,
  Show,
  SimpleShowLayout,
  TextField,
  TextInput,
  required,
  useRecordContext,
  useTranslate,
} from "react-admin";
import { CreatePage, ImagePicker, ResourceList, useAction, type ConsoleResource } from "../common.js";
import { call } from "../providers.js";

/** The base service's answer to a test verification (the face service's decision, proxied). */
export interface Verification {
  match: boolean;
  distance: number;
  similarity: number;
  threshold: number;
}

const photo = (file: File) => {
  const form = new FormData();
  form.append("image", file, file.name);
  return form;
};

/** Enrols one more face example of the passenger from a photo file. */
function EnrolFace({ userId }: { userId: string }) {
  const run = useAction();
  return (
    <ImagePicker
      label="rail.enrolFace"
      onFile={(file) =>
        void run(
          (config) =>
            call(config, "base", "POST", `/admin/user/${userId}/face/upload`, { body: photo(file) }),
          "rail.faceEnrolled",
        )
      }
    />
  );
}

/** Compares a photo with the passenger's examples and shows the face service's decision and its figures. */
function VerifyFace({ userId }: { userId: string }) {
  const translate = useTranslate();
  const run = useAction();
  const [result, setResult] = useState<Verification | null>(null);
  return (
    <div className="console-verify">
      <ImagePicker
        label="rail.verifyFace"
        onFile={(file) => {
          setResult(null);
          void run((config) =>
            call<Verification>(config, "base", "POST", `/admin/user/${userId}/face/verify/upload`, {
              body: photo(file),
            }),
          ).then((r) => r && setResult(r));
        }}
      />
      {result && (
        <dl
          role="status"
          aria-label={translate("rail.verifyResult")}
          style={{ display: "grid", gridTemplateColumns: "max-content auto", gap: "0.25rem 1rem" }}
        >
          <dt>{translate("rail.verifyResult")}</dt>
          <dd>{translate(result.match ? "rail.faceMatch" : "rail.faceNoMatch")}</dd>
          <dt>{translate("rail.distance")}</dt>
          <dd>{result.distance.toFixed(3)}</dd>
          <dt>{translate("rail.threshold")}</dt>
          <dd>{result.threshold.toFixed(3)}</dd>
          <dt>{translate("rail.similarity")}</dt>
          <dd>{result.similarity.toFixed(2)}</dd>
        </dl>
      )}
    </div>
  );
}

/** The passenger's face examples (no photos are kept: when, how sure the detector was, where the face was). */
function FaceExamples() {
  const record = useRecordContext();
  const translate = useTranslate();
  if (!record) return null;
  const userId = String(record.id);
  return (
    <section className="console-faces">
      <h3>{translate("rail.faceExamples")}</h3>
      <ReferenceManyField reference="faces" target="user_id" pagination={undefined}>
        <Datagrid bulkActionButtons={false} empty={<p>{translate("rail.noFaces")}</p>}>
          <DateField source="created_at" showTime />
          <NumberField source="detector_score" options={{ maximumFractionDigits: 3 }} />
          <FunctionField
            source="box"
            render={(f: { box: { width: number; height: number } }) =>
              `${Math.round(f.box.width)} × ${Math.round(f.box.height)}`
            }
          />
          <DeleteWithConfirmButton redirect={false} />
        </Datagrid>
      </ReferenceManyField>
      <EnrolFace userId={userId} />
      <VerifyFace userId={userId} />
    </section>
  );
}

export const passengers: ConsoleResource = {
  name: "passengers",
  recordRepresentation: "name",
  routes: {
    service: "base",
    list: "/admin/users",
    serverSearch: true,
    one: (id) => `/admin/users/${id}`,
    create: "/admin/user",
    remove: (id) => `/admin/users/${id}`,
    toBody: ({ name }) => ({ name }),
  },
  list: () => (
    <ResourceList rowClick="show" remove>
      <TextField source="name" />
      <TextField source="id" />
    </ResourceList>
  ),
  create: () => (
    <CreatePage redirect="show">
      <TextInput source="name" validate={required()} />
    </CreatePage>
  ),
  show: () => (
    <Show>
      <SimpleShowLayout>
        <TextField source="name" />
        <TextField source="id" />
        <FaceExamples />
      </SimpleShowLayout>
    </Show>
  ),
};

/** A passenger's face examples, read and deleted through the base service (which asks the face service). */
export const faces: ConsoleResource = {
  name: "faces",
  routes: {
    service: "base",
    list: (filter) => `/admin/user/${String(filter.user_id)}/faces`,
    pathFilters: ["user_id"],
    itemsField: "items",
    fromFilter: ["user_id"],
    remove: (id, face) => `/admin/user/${String(face.user_id)}/faces/${id}`,
  },
};
