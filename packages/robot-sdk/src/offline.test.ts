import { generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RobotClient, RobotNetworkError, type FetchLike } from "./client.js";
import { FileUseStore, OfflineTicketChecker } from "./offline.js";
import { signTicketCode, ticketKeyJwk, type TicketClaims } from "./ticket-code.js";
import type { OfflinePack, TicketUseResult, TicketUseUpload } from "./types.js";

const departure = new Date("2026-12-01T10:00:00Z");
const now = new Date("2026-12-01T09:50:00Z");
const at = { stationId: "SPB", trainNumber: 7012, date: departure, wagon: 4 };
const { publicKey, privateKey } = generateKeyPairSync("ed25519");

const claims = (ticketId = randomUUID()): TicketClaims => ({
  ticketId,
  trainNumber: 7012,
  runStart: departure,
  departure,
  origin: "SPB",
  wagon: 4,
  seat: 1,
  initials: "A.B.",
  issuedAt: new Date("2026-11-01T00:00:00Z"),
  validFrom: new Date("2026-12-01T04:00:00Z"),
  validUntil: new Date("2026-12-01T22:00:00Z"),
  kid: "k1",
});

const pack = (denied: string[] = [], used: string[] = []): OfflinePack => ({
  run_id: "run-1",
  train_number: 7012,
  start_date: departure.toISOString(),
  generated_at: now.toISOString(),
  keys: [ticketKeyJwk({ kid: "k1", publicKey, validFrom: new Date("2026-01-01T00:00:00.000Z") })],
  denied_ticket_ids: denied,
  used_ticket_ids: used,
});

/** A scripted server: the pack route and an upload route that records every use once; `online` cuts it. */
function fakeServer() {
  const state = { online: true, uploads: [] as TicketUseUpload[][], pack: pack() };
  const seen = new Set<string>();
  const fetchImpl: FetchLike = async (url, init) => {
    if (!state.online) throw new TypeError("fetch failed");
    const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200 });
    if (url.includes("/robot/ticket_offline_pack")) return json(state.pack);
    if (url.endsWith("/robot/ticket_validation")) {
      const { code } = JSON.parse(String(init.body)) as { code: string };
      if (code === "used") {
        return new Response(
          JSON.stringify({ detail: { message: "Ticket already used", right_ticket: null } }),
          {
            status: 400,
          },
        );
      }
      return json({ id: "online-ticket", code: "" });
    }
    if (url.endsWith("/robot/ticket_uses")) {
      const { uses } = JSON.parse(String(init.body)) as { uses: TicketUseUpload[] };
      state.uploads.push(uses);
      const results: TicketUseResult[] = uses.map((u) => {
        const duplicate = seen.has(u.use_id);
        seen.add(u.use_id);
        return { use_id: u.use_id, ticket_id: "t", status: "recorded", duplicate };
      });
      return json({ results });
    }
    return new Response(JSON.stringify({ detail: "Not Found" }), { status: 404 });
  };
  const client = new RobotClient({
    baseApiUrl: "http://base",
    storeApiUrl: "http://store",
    token: "t",
    fetch: fetchImpl,
  });
  return { state, client };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("OfflineTicketChecker", () => {
  it("refuses everything before a pack is loaded", () => {
    const { client } = fakeServer();
    const checker = new OfflineTicketChecker(client);
    expect(checker.check(signTicketCode(claims(), privateKey), at, now)).toEqual({
      ok: false,
      reason: "no_pack",
    });
  });

  it("boards a valid code once, refuses it the second time, and refuses denied and already used tickets", async () => {
    const { client, state } = fakeServer();
    const denied = randomUUID();
    const usedOnline = randomUUID();
    state.pack = pack([denied], [usedOnline]);
    const checker = new OfflineTicketChecker(client);
    await checker.prepare(7012, departure);
    state.online = false;
    const code = signTicketCode(claims(), privateKey);
    expect(checker.check(code, at, now).ok).toBe(true);
    expect(checker.check(code, at, now)).toMatchObject({ ok: false, reason: "already_used" });
    expect(checker.check(signTicketCode(claims(denied), privateKey), at, now)).toMatchObject({
      reason: "denied",
    });
    expect(checker.check(signTicketCode(claims(usedOnline), privateKey), at, now)).toMatchObject({
      reason: "already_used",
    });
    expect(checker.check(code, { ...at, wagon: 5 }, now)).toMatchObject({ reason: "wrong_wagon" });
    expect(checker.pending()).toHaveLength(1);
  });

  it("boards online while the service answers and falls back to the offline check when it does not", async () => {
    const { client, state } = fakeServer();
    const checker = new OfflineTicketChecker(client);
    await checker.prepare(7012, departure);
    expect(await checker.board("anything", at, now)).toMatchObject({ mode: "online", ok: true });
    expect(await checker.board("used", at, now)).toMatchObject({
      mode: "online",
      ok: false,
      error: { ticketMessage: "Ticket already used" },
    });
    state.online = false;
    const code = signTicketCode(claims(), privateKey);
    expect(await checker.board(code, at, now)).toMatchObject({ mode: "offline", check: { ok: true } });
    expect(await checker.board(code, at, now)).toMatchObject({
      mode: "offline",
      check: { ok: false, reason: "already_used" },
    });
    expect(checker.pending()).toHaveLength(1);
  });

  it("keeps uses while the network is down and uploads each exactly once when it is back", async () => {
    const { client, state } = fakeServer();
    const dir = mkdtempSync(join(tmpdir(), "robot-sdk-"));
    dirs.push(dir);
    const file = join(dir, "uses.json");
    const checker = new OfflineTicketChecker(client, new FileUseStore(file));
    await checker.prepare(7012, departure);
    state.online = false;
    for (let i = 0; i < 5; i++)
      expect(checker.check(signTicketCode(claims(), privateKey), at, now).ok).toBe(true);
    await expect(client.uploadTicketUses([])).rejects.toBeInstanceOf(RobotNetworkError);
    expect(await checker.sync()).toEqual([]);
    // A restart in the tunnel: the uses are still on disk.
    expect(new FileUseStore(file).all()).toHaveLength(5);
    state.online = true;
    const results = await checker.sync(2);
    expect(results.map((r) => r.status)).toEqual(Array(5).fill("recorded"));
    expect(state.uploads.map((b) => b.length)).toEqual([2, 2, 1]);
    expect(checker.pending()).toEqual([]);
    expect(new FileUseStore(file).all()).toEqual([]);
    expect(await checker.sync()).toEqual([]);
  });
});
