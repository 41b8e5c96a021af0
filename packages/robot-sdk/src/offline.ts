import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { RobotNetworkError, TicketRejectedError, type RobotClient } from "./client.js";
import {
  keyRingFromJwks,
  verifyTicketCode,
  type BoardingPoint,
  type KeyRing,
  type TicketClaims,
  type TicketCodeRejection,
} from "./ticket-code.js";
import type { OfflinePack, Ticket, TicketUseResult, TicketUseUpload } from "./types.js";

/** A use recorded by this robot, waiting for upload. */
export interface LocalUse extends TicketUseUpload {
  ticket_id: string;
}

/** Where a robot keeps its uses until they are uploaded (they must survive a restart in a tunnel). */
export interface UseStore {
  all(): LocalUse[];
  add(use: LocalUse): void;
  remove(useIds: Iterable<string>): void;
  /** The ticket was used here and not yet uploaded. */
  hasTicket(ticketId: string): boolean;
}

export class MemoryUseStore implements UseStore {
  protected uses = new Map<string, LocalUse>();
  all() {
    return [...this.uses.values()];
  }
  add(use: LocalUse) {
    this.uses.set(use.use_id, use);
  }
  remove(useIds: Iterable<string>) {
    for (const id of useIds) this.uses.delete(id);
  }
  hasTicket(ticketId: string) {
    for (const u of this.uses.values()) if (u.ticket_id === ticketId) return true;
    return false;
  }
}

/** A JSON file, rewritten atomically (write + rename) on every change. */
export class FileUseStore extends MemoryUseStore {
  constructor(private readonly path: string) {
    super();
    try {
      for (const u of JSON.parse(readFileSync(path, "utf8")) as LocalUse[]) this.uses.set(u.use_id, u);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }
  private flush() {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.all()), { mode: 0o600 });
    renameSync(tmp, this.path);
  }
  override add(use: LocalUse) {
    super.add(use);
    this.flush();
  }
  override remove(useIds: Iterable<string>) {
    super.remove(useIds);
    this.flush();
  }
}

export type OfflineRejection = TicketCodeRejection | "denied" | "already_used" | "no_pack";

/** Where a boarding decision was taken: by the server, or on the robot with no network. */
export type BoardingDecision =
  | { mode: "online"; ok: true; ticket: Ticket }
  | { mode: "online"; ok: false; error: TicketRejectedError }
  | { mode: "offline"; check: OfflineCheck };

export type OfflineCheck =
  | { ok: true; claims: TicketClaims; use: LocalUse }
  | { ok: false; reason: OfflineRejection; claims?: TicketClaims };

/**
 * Ticket checks without a network for the runs a robot serves: download a run's pack while online (`prepare`),
 * check signed codes with it (`check`: signature, run, wagon, validity window, deny list, used tickets, uses on
 * this robot), keep the uses in a UseStore, and upload them once back online (`sync`).
 */
export class OfflineTicketChecker {
  private ring: KeyRing = new Map();
  private readonly denied = new Set<string>();
  private readonly usedBefore = new Set<string>();
  private readonly packs = new Map<string, OfflinePack>();

  constructor(
    private readonly client: RobotClient,
    readonly store: UseStore = new MemoryUseStore(),
  ) {}

  /** Downloads (or refreshes) the pack of a run: its keys, deny list and used tickets. */
  async prepare(trainNumber: number, startDate: Date | string): Promise<OfflinePack> {
    const pack = await this.client.offlinePack(trainNumber, startDate);
    this.load(pack);
    return pack;
  }

  /** The same by run id (e.g. the `run_id` of `trainStores`). */
  async prepareRun(runId: string): Promise<OfflinePack> {
    const pack = await this.client.offlinePackForRun(runId);
    this.load(pack);
    return pack;
  }

  /** Loads a pack obtained elsewhere (e.g. saved to disk before a trip). */
  load(pack: OfflinePack) {
    this.packs.set(`${pack.train_number}@${pack.start_date}`, pack);
    const keys = new Map(this.ring);
    for (const [kid, key] of keyRingFromJwks({ keys: pack.keys })) keys.set(kid, key);
    this.ring = keys;
    for (const id of pack.denied_ticket_ids) this.denied.add(id);
    for (const id of pack.used_ticket_ids) this.usedBefore.add(id);
  }

  /**
   * Checks a QR code at a boarding point with no network. On success the use is recorded in the store (the
   * passenger boards); the same ticket is refused here afterwards.
   */
  check(code: string, at: BoardingPoint, now: Date = new Date()): OfflineCheck {
    if (this.packs.size === 0) return { ok: false, reason: "no_pack" };
    const result = verifyTicketCode(code, this.ring, { now, at });
    if (!result.ok) return result;
    const { claims } = result;
    if (this.denied.has(claims.ticketId)) return { ok: false, reason: "denied", claims };
    if (this.usedBefore.has(claims.ticketId) || this.store.hasTicket(claims.ticketId)) {
      return { ok: false, reason: "already_used", claims };
    }
    const use: LocalUse = {
      use_id: randomUUID(),
      ticket_id: claims.ticketId,
      code,
      station_id: at.stationId,
      wagon_number: at.wagon,
      used_at: now.toISOString(),
    };
    this.store.add(use);
    return { ok: true, claims, use };
  }

  /**
   * What a door robot does with a scanned code: the online check (boarding the passenger) when the base service
   * answers, the offline check when it cannot be reached. Other API errors (401 unknown code, …) are thrown.
   */
  async board(code: string, at: BoardingPoint, now: Date = new Date()): Promise<BoardingDecision> {
    try {
      const ticket = await this.client.validateTicket({
        stationId: at.stationId,
        trainNumber: at.trainNumber,
        wagonNumber: at.wagon,
        date: at.date,
        code,
        markAsUsed: true,
      });
      this.usedBefore.add(ticket.id);
      return { mode: "online", ok: true, ticket };
    } catch (err) {
      if (err instanceof TicketRejectedError) return { mode: "online", ok: false, error: err };
      if (err instanceof RobotNetworkError) return { mode: "offline", check: this.check(code, at, now) };
      throw err;
    }
  }

  pending(): LocalUse[] {
    return this.store.all();
  }

  /**
   * Uploads pending uses in batches. Uses the server answered for (recorded, conflict, …) leave the store; on a
   * network failure the rest stay for the next try. Safe to repeat: the server is idempotent per use id.
   */
  async sync(batchSize = 100): Promise<TicketUseResult[]> {
    const results: TicketUseResult[] = [];
    const pending = this.store.all();
    for (let i = 0; i < pending.length; i += batchSize) {
      const batch = pending.slice(i, i + batchSize);
      let answered: TicketUseResult[];
      try {
        answered = await this.client.uploadTicketUses(
          batch.map(({ use_id, code, station_id, wagon_number, used_at }) => ({
            use_id,
            code,
            station_id,
            wagon_number,
            used_at,
          })),
        );
      } catch (err) {
        if (err instanceof RobotNetworkError) break;
        throw err;
      }
      for (const r of answered)
        if (r.status === "recorded" || r.status === "conflict") this.usedBefore.add(r.ticket_id!);
      this.store.remove(answered.map((r) => r.use_id));
      results.push(...answered);
    }
    return results;
  }
}
