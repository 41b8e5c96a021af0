import type { StubHandler } from "./helpers.js";

/**
 * Face service behaviour per the cross-service contract, keyed by the (fake) image text:
 * `face:<user_id>` is that user's face, `stranger` is beyond the threshold, `noface` has no face, `garbage` cannot be
 * decoded, `crowd` has several faces, `lookalike:<a>,<b>` is equally close to users a and b (POST /search/candidates
 * refuses it as ambiguous when both are listed). `enrolled` maps user ids to their faces.
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
    if (method === "POST" && path.endsWith("/face_api/v1/search/candidates")) {
      // Only the listed users count. `lookalike:<a>,<b>` is a face equally close to users a and b.
      if (image === "noface") return { status: 400, body: { detail: "No faces" } };
      if (image === "garbage") return { status: 422, body: { detail: "Invalid image" } };
      const listed = ((body as { user_ids: string[] }).user_ids ?? []).filter((id) => enrolled.has(id));
      const answer = (match: boolean, reason: string, userId: string | null = null) => ({
        status: 200,
        body: { match, user_id: userId, reason, detail: reason, threshold: 0.05, margin: 0.01 },
      });
      if (listed.length === 0) return answer(false, "no_enrolled_candidates");
      const faces = image.startsWith("lookalike:") ? image.slice(10).split(",") : [owner(image)];
      const close = faces.filter((id): id is string => id !== null && listed.includes(id));
      if (close.length > 1) return answer(false, "ambiguous");
      if (close.length === 1) return answer(true, "matched", close[0]);
      return answer(false, "beyond_threshold");
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
