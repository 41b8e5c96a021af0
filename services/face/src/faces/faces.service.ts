import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { badRequest, conflict, notFound, serviceUnavailable } from "@rail/common";
import { decodeImage, type DecodedImage } from "../inference/image-decoder.js";
import { PoolBusyError, type InferencePool } from "../inference/inference.pool.js";
import type { DescriptorMode, DetectedFace, DetectorKind } from "../inference/inference.types.js";
import type { FaceVectorStore, VectorHit } from "../vectors/face-vectors.js";
import type { FaceExample, FaceRepository } from "./faces.repository.js";
import { decide, nearestPerUser, type Decision } from "./decision.js";
import { faceQuality, qualityProblem } from "./quality.js";

export interface FaceSettings {
  matchThreshold: number;
  /** 1:N: the nearest user must be at least this much nearer than the next-best other user (decision.ts). */
  matchMargin: number;
  /** Enrolment refuses a face this close to another user's example (409 `User already exists`). */
  duplicateThreshold: number;
  /** Detector for search/verify (camera frames); enrolment and /detect always use the more thorough SSD. */
  detector: DetectorKind;
  minEnrolSizePx: number;
  maxInferenceSide: number;
  maxImageBytes: number;
  maxExamplesPerUser: number;
  repairGraceSeconds: number;
}

export interface Match {
  user_id: string;
  distance: number;
  similarity: number;
}

/** How many nearest Chroma records a search inspects: records Postgres does not vouch for are skipped. */
const SEARCH_CANDIDATES = 20;

export const cosineDistance = (a: number[], b: number[]) => {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return 1 - dot;
};

/**
 * L2 normalisation that survives any finite, non-zero input: the vector is first divided by its largest
 * magnitude, so squaring neither overflows (1e200 → Infinity, which zeroed the vector) nor underflows
 * (1e-200 → 0, which made it NaN and Chroma answer 503 / verify answer distance null).
 */
export function normalise(vector: number[]): number[] {
  const max = vector.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  if (!(max > 0) || !Number.isFinite(max)) throw new Error("cannot normalise a zero or non-finite vector");
  const scaled = vector.map((v) => v / max);
  const norm = Math.sqrt(scaled.reduce((s, v) => s + v * v, 0));
  return scaled.map((v) => v / norm);
}

const CANDIDATE_DETAILS = {
  matched: "Matched",
  no_enrolled_candidates: "None of these users has a face enrolled",
  beyond_threshold: "No candidate is close enough",
  ambiguous: "Two candidates are too close to tell apart",
} as const;

const area = (f: DetectedFace) => f.box.width * f.box.height;
const round = (n: number, digits = 6) => Number(n.toFixed(digits));

/** Faces in original-image pixels, largest first. */
function toOriginalPixels(faces: DetectedFace[], image: DecodedImage): DetectedFace[] {
  const s = image.scale;
  return faces
    .map((f) => ({
      ...f,
      box: { x: f.box.x * s, y: f.box.y * s, width: f.box.width * s, height: f.box.height * s },
      landmarks: f.landmarks.map((p) => ({ x: p.x * s, y: p.y * s })),
    }))
    .sort((a, b) => area(b) - area(a));
}

/**
 * Enrolment, search and verification over Postgres (which examples exist and count) and Chroma (their
 * vectors). Write order: the Postgres row first (pending), then Chroma, then activation; deletion marks rows
 * first, then removes vectors, then rows. Only active rows are ever trusted, so a crash at any point leaves
 * nothing that matches, blocks re-enrolment or identifies a deleted user, and repair() tidies up later.
 */
export class FaceService {
  constructor(
    private readonly repo: FaceRepository,
    private readonly vectors: FaceVectorStore,
    private readonly inference: InferencePool,
    private readonly settings: FaceSettings,
    private readonly logger: Logger,
  ) {}

  /** similarity: 1 at distance 0, 0.5 at the threshold, 0 at twice the threshold and beyond. */
  toMatch(userId: string, distance: number): Match {
    const similarity = Math.min(1, Math.max(0, 1 - distance / (2 * this.settings.matchThreshold)));
    return { user_id: userId, distance: round(Math.max(0, distance)), similarity: round(similarity, 4) };
  }

  get threshold() {
    return this.settings.matchThreshold;
  }

  async analyze(
    bytes: Buffer,
    descriptors: DescriptorMode,
    loc?: string[],
    detector: DetectorKind = this.settings.detector,
  ) {
    const image = await decodeImage(bytes, {
      maxBytes: this.settings.maxImageBytes,
      maxInferenceSide: this.settings.maxInferenceSide,
      loc,
    });
    if (!this.inference.ready) throw serviceUnavailable("Face models are still loading");
    let faces: DetectedFace[];
    try {
      faces = await this.inference.analyze(image, descriptors, detector);
    } catch (err) {
      if (err instanceof PoolBusyError) throw serviceUnavailable("Face analysis is busy, retry later");
      this.logger.error({ err }, "face inference failed");
      throw serviceUnavailable("Face analysis failed");
    }
    return { image, faces: toOriginalPixels(faces, image) };
  }

  async detect(bytes: Buffer, loc?: string[]) {
    // Every face in the picture (not a camera frame's one passenger): the thorough detector.
    const { image, faces } = await this.analyze(bytes, "none", loc, "ssd");
    return {
      width: image.originalWidth,
      height: image.originalHeight,
      faces: faces.map((f) => ({
        box: {
          x: round(f.box.x, 1),
          y: round(f.box.y, 1),
          width: round(f.box.width, 1),
          height: round(f.box.height, 1),
        },
        score: round(f.score, 4),
        landmarks: f.landmarks.map((p) => ({ x: round(p.x, 1), y: round(p.y, 1) })),
      })),
    };
  }

  /** The descriptor of the largest face (the person in front of the robot, not a bystander far away). */
  private async largestFaceDescriptor(bytes: Buffer, loc?: string[]): Promise<number[]> {
    const { faces } = await this.analyze(bytes, "largest", loc);
    const face = faces[0];
    if (!face?.descriptor) throw badRequest("No faces");
    return face.descriptor;
  }

  async enrol(userId: string, bytes: Buffer, loc?: string[]): Promise<{ faceId: string }> {
    const { image, faces } = await this.analyze(bytes, "largest", loc, "ssd");
    if (faces.length === 0) throw badRequest("No faces");
    if (faces.length > 1) throw badRequest("Too many faces");
    const face = faces[0]!;
    if (Math.min(face.box.width, face.box.height) < this.settings.minEnrolSizePx)
      throw badRequest("Face too small");
    // Blurred, dark, overexposed or flat faces make poor references (quality.ts); the box back in analysed pixels.
    const s = image.scale;
    const analysedBox = {
      x: face.box.x / s,
      y: face.box.y / s,
      width: face.box.width / s,
      height: face.box.height / s,
    };
    const problem = qualityProblem(await faceQuality(image, analysedBox));
    if (problem) throw badRequest(problem);
    const descriptor = face.descriptor!;

    const id = randomUUID();
    await this.repo.insertPending({
      id,
      userId,
      detectorScore: Math.min(1, Math.max(0, face.score)),
      box: {
        x: Math.max(0, Math.round(face.box.x)),
        y: Math.max(0, Math.round(face.box.y)),
        width: Math.max(1, Math.round(face.box.width)),
        height: Math.max(1, Math.round(face.box.height)),
      },
    });
    try {
      await this.repo.withEnrolmentLock(async (locked) => {
        if ((await locked.countActive(userId)) >= this.settings.maxExamplesPerUser) {
          throw conflict("Too many face examples for this user");
        }
        // Any other user's example within the threshold blocks, not only the nearest one: when the user's own
        // example happens to be nearest, accepting would let a later search of this face identify either user.
        const hits = await this.activeHits(descriptor, locked);
        if (hits.some((h) => h.distance <= this.settings.duplicateThreshold && h.userId !== userId)) {
          throw conflict("User already exists");
        }
        await this.vectors.upsert(id, userId, descriptor);
        if (!(await locked.activate(id))) throw conflict("User was deleted during enrolment");
      });
    } catch (err) {
      // Best effort: if this fails too, the pending row is repaired after the grace period.
      await this.discard([id]).catch((cleanupErr: unknown) =>
        this.logger.warn({ err: cleanupErr, id }, "enrolment cleanup deferred to repair"),
      );
      throw err;
    }
    return { faceId: id };
  }

  /** The nearest Chroma records that Postgres vouches for (active), nearest first. */
  private async activeHits(descriptor: number[], repo: FaceRepository = this.repo): Promise<VectorHit[]> {
    const hits = await this.vectors.nearest(descriptor, SEARCH_CANDIDATES);
    const active = new Map((await repo.activeByIds(hits.map((h) => h.id))).map((row) => [row.id, row]));
    // Postgres is the authority on the user too, not the Chroma metadata.
    return hits.flatMap((hit) => {
      const row = active.get(hit.id);
      return row ? [{ ...hit, userId: row.userId }] : [];
    });
  }

  async searchImage(bytes: Buffer, loc?: string[]): Promise<Match> {
    return this.searchEmbedding(await this.largestFaceDescriptor(bytes, loc), false);
  }

  async searchEmbedding(embedding: number[], normaliseFirst = true): Promise<Match> {
    const descriptor = normaliseFirst ? normalise(embedding) : embedding;
    if ((await this.repo.countActive()) === 0) throw notFound("User not found");
    const decision = this.decide(nearestPerUser(await this.activeHits(descriptor)));
    // An ambiguous answer (a look-alike within the margin) is no answer, with the reference's detail.
    if (!decision.match) throw badRequest("Not found");
    return this.toMatch(decision.best.userId, decision.best.distance);
  }

  private decide(perUser: { userId: string; distance: number }[]): Decision {
    return decide(perUser, this.settings.matchThreshold, this.settings.matchMargin);
  }

  /**
   * "Nearest among these users" (1:few, e.g. the passengers holding a ticket on one run): an exact scan of the
   * candidates' own examples (ids from Postgres, vectors from Chroma by id), so nobody outside the list can
   * match and the index's approximation plays no part. Threshold + margin decide (decision.ts).
   */
  async searchCandidates(userIds: string[], input: { image?: Buffer; embedding?: number[] }) {
    const descriptor = input.image
      ? await this.largestFaceDescriptor(input.image)
      : normalise(input.embedding ?? []);
    const examples = await this.repo.activeForUsers([...new Set(userIds)]);
    const stored = await this.vectors.embeddings(examples.map((e) => e.id));
    const perUser = nearestPerUser(
      examples.flatMap((e) => {
        const v = stored.get(e.id);
        return v?.length === descriptor.length
          ? [{ userId: e.userId, distance: cosineDistance(descriptor, v) }]
          : [];
      }),
    );
    if (examples.length > 0 && perUser.length === 0)
      throw serviceUnavailable("Face index is missing the candidates' examples");
    const decision = this.decide(perUser);
    const best = decision.best;
    const reason: keyof typeof CANDIDATE_DETAILS = decision.match
      ? "matched"
      : decision.reason === "no_candidates"
        ? "no_enrolled_candidates"
        : decision.reason;
    return {
      match: decision.match,
      user_id: decision.match ? decision.best.userId : null,
      reason,
      detail: CANDIDATE_DETAILS[reason],
      distance: best ? round(Math.max(0, best.distance)) : null,
      similarity: best ? this.toMatch(best.userId, best.distance).similarity : null,
      next_distance: decision.next ? round(Math.max(0, decision.next.distance)) : null,
      threshold: this.settings.matchThreshold,
      margin: this.settings.matchMargin,
      enrolled_candidates: perUser.length,
    };
  }

  async verifyImage(userId: string, bytes: Buffer, loc?: string[]) {
    return this.verifyEmbedding(userId, await this.largestFaceDescriptor(bytes, loc), false);
  }

  /** 1:1 check against the user's own examples; the best (closest) example decides. */
  async verifyEmbedding(userId: string, embedding: number[], normaliseFirst = true) {
    const descriptor = normaliseFirst ? normalise(embedding) : embedding;
    const examples = await this.repo.activeForUser(userId);
    if (examples.length === 0) throw notFound("User not found");
    const stored = await this.vectors.embeddings(examples.map((e) => e.id));
    const distances = [...stored.values()]
      .filter((v) => v.length === descriptor.length)
      .map((v) => cosineDistance(descriptor, v))
      .filter((d) => Number.isFinite(d));
    if (distances.length === 0) throw serviceUnavailable("Face index is missing this user's examples");
    const distance = Math.min(...distances);
    return {
      ...this.toMatch(userId, distance),
      match: distance <= this.settings.matchThreshold,
      threshold: this.settings.matchThreshold,
    };
  }

  async deleteUser(userId: string): Promise<void> {
    await this.discard(await this.repo.markUserDeleting(userId));
  }

  async deleteExample(faceId: string): Promise<void> {
    const ids = await this.repo.markExampleDeleting(faceId);
    if (ids.length === 0) throw notFound("Face not found");
    await this.discard(ids);
  }

  /** Vectors first, rows last: a row outlives its vector, never the other way round. */
  private async discard(ids: string[]): Promise<void> {
    await this.vectors.remove(ids);
    await this.repo.deleteRows(ids);
  }

  async hasFaces(userId: string): Promise<boolean> {
    return (await this.repo.countActive(userId)) > 0;
  }

  async users(): Promise<{ user_id: string }[]> {
    return (await this.repo.activeUserIds()).map((user_id) => ({ user_id }));
  }

  async examples(userId: string) {
    const rows = await this.repo.activeForUser(userId);
    return { user_id: userId, items: rows.map(toExampleDto) };
  }

  /** Finishes what a crash or an outage interrupted; returns how many examples were cleaned up. */
  async repair(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.settings.repairGraceSeconds * 1000);
    const ids = await this.repo.stale(cutoff);
    if (ids.length === 0) return 0;
    await this.discard(ids);
    this.logger.info({ count: ids.length }, "repaired interrupted face examples");
    return ids.length;
  }
}

export function toExampleDto(row: FaceExample) {
  return {
    id: row.id,
    user_id: row.userId,
    created_at: row.createdAt.toISOString(),
    detector_score: row.detectorScore,
    box: { x: row.boxX, y: row.boxY, width: row.boxWidth, height: row.boxHeight },
  };
}
