import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import type {
  AnalyzeRequest,
  DescriptorMode,
  DescriptorSettings,
  DetectedFace,
  DetectorKind,
  WorkerMessage,
  WorkerSettings,
} from "./inference.types.js";

const require = createRequire(import.meta.url);

/** The descriptor the service uses (measured in bench/accuracy.ts; see the README's accuracy section). */
export const DEFAULT_DESCRIPTOR: DescriptorSettings = { alignment: "rotated", mirror: true };

/** Model and WASM folders of the installed packages: everything the workers load is on local disk. */
export function localModelPaths() {
  return {
    modelDir: path.join(path.dirname(require.resolve("@vladmandic/face-api/package.json")), "model"),
    wasmDir: path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm")),
  };
}

export interface InferencePoolOptions {
  size: number;
  minConfidence: number;
  maxFaces: number;
  /** Input side of the tiny detector (multiple of 32; default 416). */
  tinyInputSize?: number;
  /** How the face is cut out and described (default: rotated with the eye line, mean with the mirror image). */
  descriptor?: DescriptorSettings;
  /** Jobs allowed to wait; beyond it analyze() fails fast with PoolBusyError (each waiting job holds its pixels). */
  maxQueue?: number;
  logger: Logger;
}

export class PoolBusyError extends Error {
  constructor() {
    super("inference queue is full");
    this.name = "PoolBusyError";
  }
}

export interface RgbImage {
  pixels: Uint8Array;
  width: number;
  height: number;
}

interface Job {
  request: AnalyzeRequest;
  resolve: (faces: DetectedFace[]) => void;
  reject: (err: Error) => void;
  enqueuedAt: number;
  startedAt?: number;
}

/** How long a finished job waited for a worker and how long the worker took (for metrics). */
export interface JobTiming {
  waitSeconds: number;
  runSeconds: number;
  outcome: "ok" | "error";
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job;
}

/**
 * A small pool of inference threads so detection (0.5-1 s per photo) never blocks the event loop and both
 * cores are used. Jobs queue in FIFO order; a worker that dies is replaced and its job fails (503 upstream).
 */
export class InferencePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private readonly settledListeners: ((timing: JobTiming) => void)[] = [];
  private startup?: Promise<void>;

  constructor(private readonly opts: InferencePoolOptions) {}

  /** Resolves once every worker has loaded the models and finished its warm-up. */
  start(): Promise<void> {
    this.startup ??= Promise.all(Array.from({ length: this.opts.size }, () => this.spawn())).then(
      () => undefined,
    );
    return this.startup;
  }

  get ready(): boolean {
    return this.slots.length === this.opts.size && this.slots.every((s) => s.ready);
  }

  analyze(
    image: RgbImage,
    descriptors: DescriptorMode,
    detector: DetectorKind = "ssd",
    /** Benchmarks: every descriptor variant in DetectedFace.variants. */
    variants = false,
  ): Promise<DetectedFace[]> {
    if (this.closed) return Promise.reject(new Error("inference pool is closed"));
    if (this.queue.length >= (this.opts.maxQueue ?? Number.POSITIVE_INFINITY))
      return Promise.reject(new PoolBusyError());
    return new Promise((resolve, reject) => {
      const request: AnalyzeRequest = {
        id: this.nextId++,
        pixels: image.pixels,
        width: image.width,
        height: image.height,
        descriptors,
        detector,
        variants,
      };
      const job: Job = {
        request,
        enqueuedAt: performance.now(),
        resolve: (faces) => {
          this.reportSettled(job, "ok");
          resolve(faces);
        },
        reject: (err) => {
          this.reportSettled(job, "error");
          reject(err);
        },
      };
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Jobs waiting for a free worker. */
  get queueLength(): number {
    return this.queue.length;
  }

  /** Workers busy with a job. */
  get busyWorkers(): number {
    return this.slots.filter((s) => s.job).length;
  }

  /** Called with the timing of every job that finished (successfully or not). */
  onJobSettled(listener: (timing: JobTiming) => void): void {
    this.settledListeners.push(listener);
  }

  private reportSettled(job: Job, outcome: JobTiming["outcome"]) {
    const now = performance.now();
    const started = job.startedAt ?? now;
    const timing = {
      waitSeconds: (started - job.enqueuedAt) / 1000,
      runSeconds: (now - started) / 1000,
      outcome,
    };
    for (const listener of this.settledListeners) listener(timing);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error("inference pool is closed"));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private createWorker(workerData: WorkerSettings): Worker {
    const self = fileURLToPath(import.meta.url);
    if (path.extname(self) !== ".ts")
      return new Worker(path.join(path.dirname(self), "inference.worker.js"), { workerData });
    // Running from source (tsx, vitest): Node 20 does not pass loader hooks to workers, so register tsx inside it.
    const workerUrl = pathToFileURL(path.join(path.dirname(self), "inference.worker.ts")).href;
    const tsxApi = pathToFileURL(require.resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
    const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl)}); })`;
    return new Worker(bootstrap, { eval: true, workerData });
  }

  private spawn(): Promise<void> {
    const workerData: WorkerSettings = {
      ...localModelPaths(),
      minConfidence: this.opts.minConfidence,
      maxFaces: this.opts.maxFaces,
      tinyInputSize: this.opts.tinyInputSize ?? 416,
      descriptor: this.opts.descriptor ?? DEFAULT_DESCRIPTOR,
    };
    const worker = this.createWorker(workerData);
    const slot: Slot = { worker, ready: false };
    this.slots.push(slot);
    return new Promise((resolve, reject) => {
      worker.on("message", (msg: WorkerMessage) => {
        if (msg.type === "ready") {
          slot.ready = true;
          resolve();
          this.dispatch();
        } else if (msg.type === "failed") {
          reject(new Error(`inference worker failed to start: ${msg.error}`));
        } else {
          const job = slot.job;
          slot.job = undefined;
          if (job && job.request.id === msg.id) {
            if (msg.type === "result") job.resolve(msg.faces);
            else job.reject(new Error(msg.error));
          }
          this.dispatch();
        }
      });
      worker.on("error", (err) => {
        this.opts.logger.error({ err }, "inference worker crashed");
        reject(err);
      });
      worker.on("exit", (code) => {
        const index = this.slots.indexOf(slot);
        if (index >= 0) this.slots.splice(index, 1);
        slot.job?.reject(new Error(`inference worker exited with code ${code}`));
        if (!this.closed && slot.ready) {
          this.opts.logger.warn({ code }, "replacing inference worker");
          this.spawn().catch((err: unknown) =>
            this.opts.logger.error({ err }, "could not replace inference worker"),
          );
        }
      });
    });
  }

  private dispatch() {
    for (const slot of this.slots) {
      if (!slot.ready || slot.job) continue;
      const job = this.queue.shift();
      if (!job) return;
      slot.job = job;
      job.startedAt = performance.now();
      slot.worker.postMessage(job.request);
    }
  }
}
