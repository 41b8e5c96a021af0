import { constants, generateKeyPairSync, privateDecrypt, randomUUID } from "node:crypto";
import type { TicketKeySet, TicketKeyJwk } from "./ticket-code.js";
import type {
  Engineer,
  OfflinePack,
  Page,
  Purchase,
  PurchaseRequest,
  Store,
  StoreItem,
  Task,
  Ticket,
  TicketUseResult,
  TicketUseUpload,
  TrainStores,
  User,
  Destination,
  PlaceInfo,
} from "./types.js";

/** The HTTP function the client uses: `fetch` by default; swap it to add proxies, logging, or to cut the network. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** The service answered with an error status; `detail` is its `detail` field (a string or a structured value). */
export class RobotApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: unknown,
    readonly path: string,
  ) {
    super(`${status} on ${path}: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`);
  }
}

/** The service could not be reached (no network, refused, timed out): the robot should work offline. */
export class RobotNetworkError extends Error {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`network failure on ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** A ticket check refused with the reference's `{message, right_ticket}` (wrong train/date/wagon, already used). */
export class TicketRejectedError extends RobotApiError {
  constructor(
    status: number,
    readonly ticketMessage: string,
    readonly rightTicket: Ticket | null,
    path: string,
  ) {
    super(status, { message: ticketMessage, right_ticket: rightTicket }, path);
  }
}

export interface RobotCredentials {
  robotId: string;
  /** PKCS#8 PEM of the robot's RSA key; it answers login challenges (RSA-OAEP, SHA-256). */
  privateKeyPem: string;
}

export interface RobotClientOptions {
  /** e.g. `http://localhost:8080/base_api/v1` */
  baseApiUrl: string;
  /** e.g. `http://localhost:8080/store_api/v1` */
  storeApiUrl: string;
  credentials?: RobotCredentials;
  /** A session token obtained elsewhere (without credentials there is no automatic re-login). */
  token?: string;
  fetch?: FetchLike;
  timeoutMs?: number;
}

type Query = Record<string, string | number | boolean | undefined>;

interface RequestOptions {
  body?: unknown;
  query?: Query;
  headers?: Record<string, string>;
  /** false: no Authorization header (enrolment, login). */
  auth?: boolean;
  /** Statuses answered with `null` instead of an error (e.g. 404 for "nobody"). */
  nullOn?: number[];
}

const trimSlash = (url: string) => url.replace(/\/+$/, "");

/** Wire ISO text of an instant (the services accept any ISO 8601; this one is unambiguous UTC). */
const iso = (d: Date | string) => (typeof d === "string" ? d : d.toISOString());

/**
 * Typed client for every robot route of the base and store services. Logs in by challenge with the robot's key
 * and logs in again by itself when the session expired (one retry on 401).
 */
export class RobotClient {
  private token: string | undefined;
  private readonly fetchImpl: FetchLike;
  private readonly base: string;
  private readonly storeApi: string;
  private loggingIn: Promise<string> | null = null;

  constructor(private readonly opts: RobotClientOptions) {
    this.fetchImpl = opts.fetch ?? ((url, init) => fetch(url, init));
    this.base = trimSlash(opts.baseApiUrl);
    this.storeApi = trimSlash(opts.storeApiUrl);
    this.token = opts.token;
  }

  get robotId(): string | undefined {
    return this.opts.credentials?.robotId;
  }

  /**
   * Enrols a new robot with an engineer's login (privilege ROBOT_LOGIN): creates an RSA-2048 key pair, registers
   * the public key, and returns the credentials to keep (the private key never leaves the robot).
   */
  static async enrol(args: {
    baseApiUrl: string;
    engineerLogin: string;
    engineerPassword: string;
    robotModelId: string;
    robotModelName: string;
    fetch?: FetchLike;
  }): Promise<RobotCredentials> {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
    });
    const client = new RobotClient({ baseApiUrl: args.baseApiUrl, storeApiUrl: "", fetch: args.fetch });
    const res = await client.call<{ id: string }>("POST", `${client.base}/auth/robot/new_login`, {
      auth: false,
      body: {
        login: args.engineerLogin,
        password: args.engineerPassword,
        public_key: publicKey,
        robot_model_id: args.robotModelId,
        robot_model_name: args.robotModelName,
      },
    });
    return { robotId: res!.id, privateKeyPem: privateKey };
  }

  /** Challenge/response login; returns the session token (also kept for later calls). */
  async login(): Promise<string> {
    const creds = this.opts.credentials;
    if (!creds) throw new Error("RobotClient: no credentials to log in with");
    // Concurrent calls that all hit a 401 share one login.
    this.loggingIn ??= (async () => {
      try {
        const challenge = await this.call<{ request_id: string; data: string }>(
          "POST",
          `${this.base}/auth/robot/login`,
          { auth: false, body: { id: creds.robotId } },
        );
        const answer = privateDecrypt(
          { key: creds.privateKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
          Buffer.from(challenge!.data, "base64"),
        ).toString("utf8");
        const session = await this.call<{ token: string }>("POST", `${this.base}/auth/robot/login_code`, {
          auth: false,
          body: { request_id: challenge!.request_id, data: answer },
        });
        this.token = session!.token;
        return this.token;
      } finally {
        this.loggingIn = null;
      }
    })();
    return this.loggingIn;
  }

  private async call<T>(
    method: string,
    url: string,
    o: RequestOptions = {},
    retried = false,
  ): Promise<T | null> {
    const path = url.replace(/^https?:\/\/[^/]+/, "");
    const auth = o.auth !== false;
    if (auth && !this.token && this.opts.credentials) await this.login();
    const qs = o.query
      ? new URLSearchParams(
          Object.entries(o.query)
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => [k, String(v)] as [string, string]),
        ).toString()
      : "";
    const headers: Record<string, string> = { Accept: "application/json", ...o.headers };
    if (o.body !== undefined) headers["Content-Type"] = "application/json";
    if (auth && this.token) headers.Authorization = `Bearer ${this.token}`;
    let res: Response;
    try {
      res = await this.fetchImpl(qs ? `${url}?${qs}` : url, {
        method,
        headers,
        body: o.body === undefined ? undefined : JSON.stringify(o.body),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15_000),
      });
    } catch (err) {
      throw new RobotNetworkError(path, err);
    }
    if (res.status === 401 && auth && !retried && this.opts.credentials) {
      await res.body?.cancel();
      this.token = undefined;
      await this.login();
      return this.call<T>(method, url, o, true);
    }
    const text = await res.text();
    const json: unknown = text ? safeJson(text) : undefined;
    if (res.ok) return json as T;
    if (o.nullOn?.includes(res.status)) return null;
    const detail = (json as { detail?: unknown } | undefined)?.detail ?? text;
    if (
      detail &&
      typeof detail === "object" &&
      "message" in detail &&
      typeof (detail as { message: unknown }).message === "string"
    ) {
      const d = detail as { message: string; right_ticket?: Ticket | null };
      throw new TicketRejectedError(res.status, d.message, d.right_ticket ?? null, path);
    }
    throw new RobotApiError(res.status, detail, path);
  }

  private baseCall<T>(method: string, path: string, o?: RequestOptions) {
    return this.call<T>(method, `${this.base}${path}`, o) as Promise<T>;
  }

  private storeCall<T>(method: string, path: string, o?: RequestOptions) {
    return this.call<T>(method, `${this.storeApi}${path}`, o) as Promise<T>;
  }

  // ---- base: engineers, passengers, tickets, destinations, train stores ----

  /** RFID card check: the engineer owning the card, or a 403 `Access denied` error. */
  adminAccess(cardKey: string): Promise<Engineer> {
    return this.baseCall("POST", "/robot/engineer/admin_access", { body: { key: cardKey.trim() } });
  }

  /**
   * Who is in front of the camera: the passenger, or null when nobody is enrolled (404). With `run`, only
   * passengers holding a ticket on that run are compared (faster, and no look-alike from another train).
   */
  identify(
    faceBase64: string,
    run?: { trainNumber: number; trainDate: Date | string },
  ): Promise<User | null> {
    const scope = run ? { train_number: run.trainNumber, train_date: iso(run.trainDate) } : {};
    return this.baseCall("POST", "/robot/identification", {
      body: { image: faceBase64, ...scope },
      nullOn: [404],
    });
  }

  user(userId: string): Promise<User> {
    return this.baseCall("GET", `/robot/user/${encodeURIComponent(userId)}`);
  }

  /**
   * Online ticket check by QR code (the secret code or a signed code) or face; boards the passenger with
   * `markAsUsed` (default true). Throws TicketRejectedError with the right ticket for wrong train/date/wagon or a
   * used ticket, RobotApiError 401 for an unknown code.
   */
  validateTicket(req: {
    stationId: string;
    trainNumber: number;
    wagonNumber: number;
    date: Date | string;
    code?: string;
    face?: string;
    markAsUsed?: boolean;
  }): Promise<Ticket> {
    return this.baseCall("POST", "/robot/ticket_validation", {
      body: {
        station_id: req.stationId,
        train_number: req.trainNumber,
        wagon_number: req.wagonNumber,
        date: iso(req.date),
        code: req.code ?? null,
        face: req.face ?? null,
        mark_as_used: req.markAsUsed ?? true,
      },
    });
  }

  currentTicket(userId: string, trainNumber: number, startDate: Date | string): Promise<Ticket> {
    return this.baseCall("POST", "/robot/user/current_ticket", {
      body: { user_id: userId, train_id: trainNumber, start_date: iso(startDate) },
    });
  }

  /** The passenger's next unused ticket from a station, or null (404). */
  currentTicketAtStation(stationId: string, userId: string): Promise<Ticket | null> {
    return this.baseCall(
      "GET",
      `/robot/station/${encodeURIComponent(stationId)}/user/${encodeURIComponent(userId)}/current_ticket`,
      { nullOn: [404] },
    );
  }

  /** Destination of the boarded passenger, or null when they have not boarded that run (400, as robots read it). */
  async determineDestination(userId: string, trainNumber: number, startDate: Date | string) {
    const res = await this.baseCall<Destination | null>("POST", "/robot/determine_destination", {
      body: { user_id: userId, train_number: trainNumber, start_date: iso(startDate) },
      nullOn: [400],
    });
    return res?.id ?? null;
  }

  hotels(destinationId: string, page = 1, size = 50): Promise<Page<PlaceInfo>> {
    return this.baseCall("GET", `/robot/destination/${encodeURIComponent(destinationId)}/hotels`, {
      query: { page, size },
    });
  }

  attractions(destinationId: string, page = 1, size = 50): Promise<Page<PlaceInfo>> {
    return this.baseCall("GET", `/robot/destination/${encodeURIComponent(destinationId)}/attractions`, {
      query: { page, size },
    });
  }

  /** Store ids serving a train's current run (or the run departing `trainDate`). */
  trainStores(trainNumber: number, trainDate?: Date | string): Promise<TrainStores> {
    return this.baseCall("GET", `/robot/train/${trainNumber}/stores`, {
      query: { train_date: trainDate === undefined ? undefined : iso(trainDate) },
    });
  }

  // ---- base: signed codes and offline checks ----

  ticketKeys(): Promise<TicketKeySet> {
    return this.baseCall("GET", "/robot/ticket_keys");
  }

  /** Keys, deny list and used tickets of one run, for checking its tickets offline. */
  offlinePack(trainNumber: number, startDate: Date | string): Promise<OfflinePack> {
    return this.baseCall("GET", "/robot/ticket_offline_pack", {
      query: { train_number: trainNumber, start_date: iso(startDate) },
    });
  }

  /** The same pack by run id (as `trainStores` answers it). */
  offlinePackForRun(runId: string): Promise<OfflinePack> {
    return this.baseCall("GET", "/robot/ticket_offline_pack", { query: { run_id: runId } });
  }

  async uploadTicketUses(uses: TicketUseUpload[]): Promise<TicketUseResult[]> {
    const res = await this.baseCall<{ results: TicketUseResult[] }>("POST", "/robot/ticket_uses", {
      body: { uses },
    });
    return res.results;
  }

  // ---- store: stores, purchases, tasks ----

  store(storeId: string): Promise<Store | null> {
    return this.storeCall("GET", `/robot/store/${encodeURIComponent(storeId)}`, { nullOn: [404] });
  }

  storesList(ids: string[]): Promise<Store[]> {
    return this.storeCall("POST", "/robot/stores/list", { body: { ids } });
  }

  recommendations(storeId: string, userId: string, page = 1, size = 50): Promise<Page<StoreItem>> {
    return this.storeCall(
      "GET",
      `/robot/store/${encodeURIComponent(storeId)}/user/${encodeURIComponent(userId)}/recommendations`,
      { query: { page, size } },
    );
  }

  /**
   * Buys items for a passenger. The idempotency key (a fresh UUID unless given) makes a retry after a lost answer
   * return the first purchase instead of buying twice: keep it for the retries of one purchase.
   */
  makePurchase(
    storeId: string,
    req: PurchaseRequest,
    idempotencyKey: string = randomUUID(),
  ): Promise<Purchase> {
    return this.storeCall("POST", `/robot/store/${encodeURIComponent(storeId)}/make_purchase`, {
      body: { is_default_ready: false, additional_data: {}, ...req },
      headers: { "Idempotency-Key": idempotencyKey },
    });
  }

  readyTasks(trainNumber: number, storeId?: string, page = 1, size = 50): Promise<Page<Task>> {
    return this.storeCall("GET", "/robot/tasks/ready", {
      query: { train_number: trainNumber, store_id: storeId, page, size },
    });
  }

  markDelivered(taskId: string): Promise<Task> {
    return this.storeCall("PUT", `/robot/task/${encodeURIComponent(taskId)}/delivered`);
  }

  /** Polls the ready tasks of a train until one matches (e.g. the purchase just made), or times out. */
  async waitForReadyTask(
    trainNumber: number,
    match: (task: Task) => boolean,
    opts: { storeId?: string; timeoutMs?: number; intervalMs?: number } = {},
  ): Promise<Task> {
    const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
    for (;;) {
      const page = await this.readyTasks(trainNumber, opts.storeId, 1, 100);
      const task = page.items.find(match);
      if (task) return task;
      if (Date.now() >= deadline)
        throw new Error(`no ready task matched within ${opts.timeoutMs ?? 30_000} ms`);
      await new Promise((r) => setTimeout(r, opts.intervalMs ?? 500));
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export type { TicketKeyJwk };
