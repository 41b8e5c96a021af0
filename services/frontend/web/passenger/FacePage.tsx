import { useEffect, useRef, useState } from "react";
import { ApiError, ok } from "../api/client.js";
import { describeError } from "../app/errors.js";
import { useServices } from "../app/services.js";
import { useAsync } from "../app/useAsync.js";
import { Message } from "../components/Message.js";
import { useLocale } from "../i18n/index.js";

/** The base API accepts photos up to 7.5 MiB (the face service's base64 limit). */
const MAX_PHOTO_BYTES = 7.5 * 1024 * 1024;

/** Face enrolment: a photo from the camera (getUserMedia) or a file, previewed, sent only with consent. */
export function FacePage() {
  const { t } = useLocale();
  const { api } = useServices();
  const status = useAsync(async () => {
    try {
      await ok(api.GET("/frontend/faces"));
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return false;
      throw err;
    }
  }, [api]);
  const [photo, setPhoto] = useState<Blob | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [consent, setConsent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [camera, setCamera] = useState<MediaStream | null>(null);
  const video = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    document.title = `${t("face.title")} · ${t("brand")}`;
  }, [t]);
  useEffect(() => {
    if (!photo) return setPreview(null);
    const url = URL.createObjectURL(photo);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [photo]);
  useEffect(() => {
    if (video.current && camera) video.current.srcObject = camera;
    return () => camera?.getTracks().forEach((track) => track.stop());
  }, [camera]);

  function choose(file: File | undefined) {
    setMessage(null);
    if (!file) return;
    if (file.size > MAX_PHOTO_BYTES) {
      setMessage({ kind: "error", text: t("errors.photoTooLarge") });
      return;
    }
    setPhoto(file);
  }

  async function openCamera() {
    setMessage(null);
    try {
      setCamera(await navigator.mediaDevices.getUserMedia({ video: { facingMode: "user" }, audio: false }));
    } catch {
      setMessage({ kind: "error", text: t("face.noCamera") });
    }
  }

  function capture() {
    const v = video.current;
    if (!v || !v.videoWidth) return;
    const canvas = document.createElement("canvas");
    canvas.width = v.videoWidth;
    canvas.height = v.videoHeight;
    canvas.getContext("2d")?.drawImage(v, 0, 0);
    canvas.toBlob((blob) => blob && setPhoto(blob), "image/jpeg", 0.92);
    setCamera(null);
  }

  async function upload() {
    if (!photo || !consent) return;
    setBusy(true);
    setMessage(null);
    try {
      const form = new FormData();
      form.append("file", photo, "face.jpg");
      await ok(
        api.POST("/frontend/faces", {
          body: form as never,
          bodySerializer: (body: unknown) => body as FormData,
        }),
      );
      setPhoto(null);
      setMessage({ kind: "ok", text: t("face.enrolled") });
      status.reload();
    } catch (err) {
      setMessage({ kind: "error", text: describeError(t, err) });
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    if (!window.confirm(t("face.confirmDelete"))) return;
    setBusy(true);
    try {
      await ok(api.DELETE("/frontend/faces"));
      setMessage({ kind: "ok", text: t("face.deleted") });
      status.reload();
    } catch (err) {
      setMessage({ kind: "error", text: describeError(t, err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="face">
      <h1>{t("face.title")}</h1>
      {status.status === "loading" && <Message kind="info">{t("common.loading")}</Message>}
      {status.status === "error" && <Message kind="error">{describeError(t, status.error)}</Message>}
      {status.status === "ok" &&
        (status.data ? (
          <Message kind="ok">{t("face.statusEnrolled")}</Message>
        ) : (
          <Message kind="info">{t("face.statusNone")}</Message>
        ))}
      {message && <Message kind={message.kind}>{message.text}</Message>}
      <div className="card form">
        <h2>{t("face.consentTitle")}</h2>
        <p>{t("face.consentText")}</p>
        <p>{t("face.retentionText")}</p>
        {camera ? (
          <div className="camera">
            <video ref={video} autoPlay playsInline muted />
            <div className="actions">
              <button type="button" onClick={capture}>
                {t("face.takePhoto")}
              </button>
              <button type="button" className="secondary" onClick={() => setCamera(null)}>
                {t("run.cancel")}
              </button>
            </div>
          </div>
        ) : (
          <div className="actions">
            {"mediaDevices" in navigator && (
              <button type="button" className="secondary" onClick={() => void openCamera()}>
                {t("face.useCamera")}
              </button>
            )}
            <label className="button secondary file">
              {t("face.choosePhoto")}
              <input
                type="file"
                name="file"
                accept="image/jpeg,image/png,image/webp"
                onChange={(e) => choose(e.currentTarget.files?.[0])}
              />
            </label>
          </div>
        )}
        {preview && <img className="preview" src={preview} alt={t("face.preview")} />}
        <label className="check">
          <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.currentTarget.checked)} />
          <span>{t("face.consent")}</span>
        </label>
        <div className="actions">
          <button type="button" disabled={!photo || !consent || busy} onClick={() => void upload()}>
            {t("face.upload")}
          </button>
          {status.data && (
            <button type="button" className="danger" disabled={busy} onClick={() => void remove()}>
              {t("face.delete")}
            </button>
          )}
        </div>
      </div>
    </section>
  );
}
