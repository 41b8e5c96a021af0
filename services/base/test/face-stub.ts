import type { StubHandler } from "./helpers.js";

/**
 * Face service behaviour per the cross-service contract, keyed by the (fake) image text:
 * `face:<user_id>` is that user's face, `stranger` is beyond the threshold, `noface` has no face, `garbage` cannot be
 * decoded, `crowd` has several faces. `enrolled` maps user ids to their faces.
 */
export function faceContract(enrolled = new Map<string, string>()): StubHandler {
  return ({ method, path, body }) => {
    const image = (body as { image?: string } | undefined)?.image ?? "";
    const owner = (img: string) => (img.startsWith("face:") ? img.slice(5) : null);
    if (method === "POST" && path.endsWith("/face_api/v1/search")) {
      if (image === "noface") return { status: 400, body: { detail: "No faces" } };
      if (image === "garbage") return { status: 422, body: { detail: "Invalid image" } };
      if (enrolled.size === 0) return { status: 404, body: { detail: "User not found" } };
      const userId = owner(image);
      if (!userId || !enrolled.has(userId)) return { status: 400, body: { detail: "Not found" } };
      return { status: 200, body: { user_id: userId, distance: 0.1, similarity: 0.9 } };
    }
    if (method === "POST" && path.endsWith("/face_api/v1/face")) {
      const userId = (body as { user_id: string }).user_id;
      if (image === "noface") return { status: 400, body: { detail: "No faces" } };
      if (image === "crowd") return { status: 400, body: { detail: "Too many faces" } };
      const faceOf = owner(image);
      if (faceOf && enrolled.has(faceOf) && faceOf !== userId)
        return { status: 409, body: { detail: "User already exists" } };
      enrolled.set(userId, image);
      return { status: 200, body: { status: "OK" } };
    }
    const del = /\/face_api\/v1\/face\/([^/]+)$/.exec(path);
    if (method === "DELETE" && del) {
      enrolled.delete(decodeURIComponent(del[1]!));
      return { status: 200, body: { status: "OK" } };
    }
    const check = /\/face_api\/v1\/check\/([^/]+)$/.exec(path);
    if (method === "GET" && check)
      return { status: 200, body: { status: enrolled.has(decodeURIComponent(check[1]!)) } };
    return { status: 404, body: { detail: "Not Found" } };
  };
}
