import { Gauge, Histogram, type Registry } from "prom-client";
import type { InferencePool } from "./inference.pool.js";

/**
 * Prometheus metrics of the inference pool, beside the kit's HTTP metrics on /metrics: how long images wait for a
 * worker and how long the models take, and how full the pool is right now (read at scrape time).
 */
export function registerInferenceMetrics(registry: Registry, pool: InferencePool): void {
  new Gauge({
    name: "face_inference_queue_length",
    help: "Images waiting for a free inference worker",
    registers: [registry],
    collect() {
      this.set(pool.queueLength);
    },
  });
  new Gauge({
    name: "face_inference_workers_busy",
    help: "Inference workers running a job",
    registers: [registry],
    collect() {
      this.set(pool.busyWorkers);
    },
  });
  const wait = new Histogram({
    name: "face_inference_queue_wait_seconds",
    help: "Time an image waited for a free inference worker",
    buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const run = new Histogram({
    name: "face_inference_seconds",
    help: "Time a worker spent detecting faces and computing descriptors for one image, by outcome",
    labelNames: ["outcome"],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [registry],
  });
  pool.onJobSettled((timing) => {
    wait.observe(timing.waitSeconds);
    run.observe({ outcome: timing.outcome }, timing.runSeconds);
  });
}
