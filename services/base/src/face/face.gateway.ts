import { HttpError, type ServiceClient } from "@rail/common";
import { z } from "zod";

const statusSchema = z.object({ status: z.literal("OK") });
const enrolSchema = statusSchema.extend({ face_id: z.string().optional() });
const boxSchema = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });
const examplesSchema = z.object({
  user_id: z.string(),
  items: z.array(
    z.object({ id: z.string(), created_at: z.string(), detector_score: z.number(), box: boxSchema }),
  ),
});
export type FaceExamples = z.infer<typeof examplesSchema>;
const verifySchema = z.object({
  distance: z.number(),
  similarity: z.number(),
  match: z.boolean(),
  threshold: z.number(),
});
export type FaceVerification = z.infer<typeof verifySchema>;
// The face service stores base user ids; anything else is a foreign record and fails validation (502), not a DB error.
const searchSchema = z.object({
  user_id: z.uuid().transform((id) => id.toLowerCase()),
  distance: z.number().optional(),
  similarity: z.number().optional(),
});
const checkSchema = z.object({ status: z.boolean() });
const candidatesSchema = z.object({
  match: z.boolean(),
  user_id: z
    .uuid()
    .transform((id) => id.toLowerCase())
    .nullable(),
  reason: z.string(),
});

export type FaceSearchResult =
  { found: true; userId: string } | { found: false; reason: "unknown" | "unrecognisable" };

/** The face service as the base service uses it (contract in the brief; statuses as in reference section 5). */
export class FaceGateway {
  constructor(private readonly client: ServiceClient) {}

  /**
   * 1:N search, mapped as the reference did (section 3.2.1): nobody enrolled (404) is an unknown person; any 400
   * (no face, or the nearest face beyond the threshold) or 422 is an unrecognisable face. Robots in the field rely
   * on that: a stranger passing the camera gets 422 and the robot quietly retries instead of showing a failure.
   */
  async search(image: string): Promise<FaceSearchResult> {
    const res = await this.client.request({
      method: "POST",
      path: "/search",
      body: { image },
      response: searchSchema,
    });
    if (res.ok) return { found: true, userId: res.data.user_id };
    if (res.status === 404) return { found: false, reason: "unknown" };
    if (res.status === 400 || res.status === 422) return { found: false, reason: "unrecognisable" };
    throw passThrough(res.status, res.detail);
  }

  /**
   * 1:few: which of these users (a run's manifest) is the face? The face service compares only with their
   * examples and accepts the nearest only when clearly nearer than the next-best (threshold + margin), so a
   * stranger (enrolled or not) is never taken for a passenger and a look-alike among them is refused.
   */
  async searchAmong(image: string, userIds: string[]): Promise<FaceSearchResult> {
    if (userIds.length === 0) return { found: false, reason: "unknown" };
    const res = await this.client.request({
      method: "POST",
      path: "/search/candidates",
      body: { image, user_ids: userIds },
      response: candidatesSchema,
    });
    if (res.ok) {
      if (res.data.match && res.data.user_id) return { found: true, userId: res.data.user_id };
      // As for the 1:N search: nobody to compare with is "unknown" (404); a face beyond the threshold or too close
      // to two candidates is "unrecognisable" (422), which robots answer by quietly retrying.
      return {
        found: false,
        reason: res.data.reason === "no_enrolled_candidates" ? "unknown" : "unrecognisable",
      };
    }
    if (res.status === 400 || res.status === 422) return { found: false, reason: "unrecognisable" };
    throw passThrough(res.status, res.detail);
  }

  /** Enrols one face example for a user; its id when the face service tells it. 409: someone else's face. */
  async enrol(userId: string, image: string): Promise<string | null> {
    const res = await this.client.request({
      method: "POST",
      path: "/face",
      body: { image, user_id: userId },
      response: enrolSchema,
    });
    if (res.ok) return res.data.face_id ?? null;
    if (res.status === 409) throw new HttpError(409, "Face already exists");
    throw passThrough(res.status, res.detail);
  }

  /** Idempotent. */
  async remove(userId: string): Promise<void> {
    const res = await this.client.request({
      method: "DELETE",
      path: `/face/${encodeURIComponent(userId)}`,
      response: statusSchema,
    });
    if (!res.ok) throw passThrough(res.status, res.detail);
  }

  /** A user's face examples (no pictures: the face service keeps only their descriptors). */
  async examples(userId: string): Promise<FaceExamples> {
    const res = await this.client.request({
      method: "GET",
      path: `/faces/${encodeURIComponent(userId)}`,
      response: examplesSchema,
    });
    if (!res.ok) throw passThrough(res.status, res.detail);
    return res.data;
  }

  /** Removes one example; false when the face service does not know it. */
  async removeExample(faceId: string): Promise<boolean> {
    const res = await this.client.request({
      method: "DELETE",
      path: `/faces/${encodeURIComponent(faceId)}`,
      response: statusSchema,
    });
    if (res.ok) return true;
    if (res.status === 404) return false;
    throw passThrough(res.status, res.detail);
  }

  /** 1:1: is the largest face in the image this user? null when the user has no example to compare with. */
  async verify(userId: string, image: string): Promise<FaceVerification | null> {
    const res = await this.client.request({
      method: "POST",
      path: "/verify",
      body: { image, user_id: userId },
      response: verifySchema,
    });
    if (res.ok) return res.data;
    if (res.status === 404) return null;
    throw passThrough(res.status, res.detail);
  }

  async has(userId: string): Promise<boolean> {
    const res = await this.client.request({
      method: "GET",
      path: `/check/${encodeURIComponent(userId)}`,
      response: checkSchema,
    });
    if (!res.ok) throw passThrough(res.status, res.detail);
    return res.data.status;
  }
}

/** Client errors of the face service (bad image...) reach our caller with the face service's detail. */
function passThrough(status: number, detail: unknown): HttpError {
  if (status === 401 || status === 403) return new HttpError(503, "Face service unavailable");
  const text = typeof detail === "string" && detail ? detail : "Face service rejected the request";
  return new HttpError(status >= 400 && status < 500 ? status : 502, text);
}
