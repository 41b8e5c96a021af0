import { ApiError } from "../api.js";
import { h, message, replace } from "../dom.js";
import type { PageContext } from "./context.js";

/** The base API accepts photos up to 7.5 MiB (the face service's base64 limit). */
const MAX_PHOTO_BYTES = 7.5 * 1024 * 1024;

const PROBLEMS: Record<string, string> = {
  "No faces": "No face was found in this photo. Try a clearer, well-lit one.",
  "Too many faces": "The photo shows several faces. Upload one with only yours.",
  "Image too small": "The photo is too small (at least 100 × 100 pixels).",
  "Image too big": "The photo's dimensions are too large. Use a smaller one.",
  "Face already exists": "This face is already enrolled for another account.",
};
const explain = (err: unknown) =>
  err instanceof ApiError && typeof err.detail === "string"
    ? (PROBLEMS[err.detail] ?? err.message)
    : (err as Error).message;

export async function facePage({ api }: PageContext): Promise<HTMLElement> {
  const state = h("div", { class: "status" });
  const file = h("input", {
    type: "file",
    name: "file",
    accept: "image/jpeg,image/png,image/webp",
    required: true,
  });
  const upload = h("button", { type: "submit" }, "Upload photo");
  const remove = h("button", { type: "button", class: "danger" }, "Delete my face data");
  const form = h(
    "form",
    { class: "card form" },
    h(
      "p",
      {},
      "Upload a clear, well-lit photo with only your face in it. The robot on the train then recognises you at boarding.",
    ),
    h("label", {}, "Photo", file),
    h("div", { class: "actions" }, upload, remove),
  );

  async function refresh() {
    replace(state, message("info", "Checking…"));
    try {
      const enrolled = await api.hasFace();
      remove.disabled = !enrolled;
      replace(
        state,
        enrolled ? message("ok", "Your face is enrolled.") : message("info", "No face enrolled yet."),
      );
    } catch (err) {
      replace(state, message("error", (err as Error).message));
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const photo = file.files?.[0];
    if (!photo) return;
    if (photo.size > MAX_PHOTO_BYTES) {
      replace(state, message("error", "The photo is larger than 7.5 MiB. Use a smaller one."));
      return;
    }
    void (async () => {
      upload.disabled = true;
      replace(state, message("info", "Uploading…"));
      try {
        await api.enrolFace(photo);
        file.value = "";
        await refresh();
      } catch (err) {
        replace(state, message("error", explain(err)));
      } finally {
        upload.disabled = false;
      }
    })();
  });
  remove.addEventListener("click", () => {
    if (!window.confirm("Delete your face data? You will need your QR code to board.")) return;
    void (async () => {
      try {
        await api.deleteFace();
        await refresh();
      } catch (err) {
        replace(state, message("error", (err as Error).message));
      }
    })();
  });

  await refresh();
  return h("section", {}, h("h1", {}, "Face enrolment"), state, form);
}
