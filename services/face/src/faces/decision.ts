/**
 * The matching rule for 1:N identification (global search and "nearest among these users"): the nearest user
 * is accepted only when their distance is within the threshold AND the next-best *other* user is at least
 * `margin` farther away. The margin is what keeps look-alikes apart: when two people on the same train are both
 * close to the face, the answer is "not sure" rather than a coin toss between them. Measured in bench/accuracy.ts.
 */

export interface UserDistance {
  userId: string;
  /** Cosine distance of the user's closest example. */
  distance: number;
}

export type Decision =
  | { match: true; best: UserDistance; next?: UserDistance }
  | {
      match: false;
      reason: "no_candidates" | "beyond_threshold" | "ambiguous";
      best?: UserDistance;
      next?: UserDistance;
    };

/** Per user, the distance of their closest example, nearest user first. */
export function nearestPerUser(hits: { userId: string; distance: number }[]): UserDistance[] {
  const best = new Map<string, number>();
  for (const h of hits) {
    if (!Number.isFinite(h.distance)) continue;
    const d = best.get(h.userId);
    if (d === undefined || h.distance < d) best.set(h.userId, h.distance);
  }
  return [...best]
    .map(([userId, distance]) => ({ userId, distance }))
    .sort((a, b) => a.distance - b.distance || a.userId.localeCompare(b.userId));
}

export function decide(perUser: UserDistance[], threshold: number, margin: number): Decision {
  const [best, next] = perUser;
  if (!best) return { match: false, reason: "no_candidates" };
  if (best.distance > threshold) return { match: false, reason: "beyond_threshold", best, next };
  if (next && next.distance - best.distance < margin)
    return { match: false, reason: "ambiguous", best, next };
  return { match: true, best, next };
}
