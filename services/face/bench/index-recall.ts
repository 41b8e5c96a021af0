/**
 * Does Chroma's HNSW index return the true nearest face at scale? N synthetic descriptors shaped like
 * face-api's (all within a narrow cone: two random "people" are ~0.12 apart in cosine distance, as measured on
 * real faces), Q queries that are a stored vector plus noise (~0.03 away, like another photo of the person).
 * For each HNSW setting: recall@1 = how often Chroma's nearest is the exact nearest (computed by brute force),
 * and the query time. Also times the "nearest among these users" lookup for a manifest of MANIFEST users, both
 * as a Chroma query filtered by `user_id $in [...]` and as the face service does it (fetch the candidates'
 * vectors by id and scan them exactly).
 *
 * Run (Chroma on CHROMA_URL, default the dev stack's): pnpm exec tsx bench/index-recall.ts
 * env: N=100000 Q=300 MANIFEST=1000 SETTINGS="default;400,400,48" (ef_construction,ef_search,max_neighbors)
 *      EF_SEARCH=100,200 (more ef_search values tried on the last built index)
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { ChromaClient, type Collection } from "chromadb";
import { FACE_INDEX_HNSW } from "../src/vectors/face-vectors.js";

const N = Number(process.env.N ?? 100_000);
const Q = Number(process.env.Q ?? 300);
const MANIFEST = Number(process.env.MANIFEST ?? 1000);
const DIM = 128;
const EF_SEARCH = (process.env.EF_SEARCH ?? "100,200").split(",").map(Number);
const SETTINGS = (
  process.env.SETTINGS ??
  `default;${FACE_INDEX_HNSW.ef_construction},${FACE_INDEX_HNSW.ef_search},${FACE_INDEX_HNSW.max_neighbors}`
).split(";");

// Deterministic pseudo-random numbers (xorshift32 + Box-Muller), so every run indexes the same vectors.
let seed = 0x9e3779b9;
const uniform = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return ((seed >>> 0) + 0.5) / 4294967296;
};
const gauss = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
const normalise = (v: number[]) => {
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return v.map((x) => x / n);
};
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

const mean = normalise(Array.from({ length: DIM }, gauss));
const SPREAD = 0.37; // people ~0.12 apart
const NOISE = 0.245; // another photo ~0.03 away
const person = () => normalise(mean.map((m) => m + (SPREAD * gauss()) / Math.sqrt(DIM)));
const vectors = Array.from({ length: N }, person);
const userOf = (i: number) => `u${Math.floor(i / 2)}`; // two examples per user
const queries = Array.from({ length: Q }, () => {
  const target = Math.floor(uniform() * N);
  return normalise(vectors[target]!.map((x) => x + (NOISE * gauss()) / Math.sqrt(DIM)));
});
const exactNearest = queries.map((q) => {
  let best = -1;
  let bestSim = -2;
  for (let i = 0; i < N; i++) {
    const s = dot(q, vectors[i]!);
    if (s > bestSim) [best, bestSim] = [i, s];
  }
  return best;
});
const sampleDist = 1 - dot(vectors[0]!, vectors[1]!);
console.log(
  `${os.cpus()[0]?.model} x${os.cpus().length}, load average ${os.loadavg()[0]!.toFixed(1)}; N=${N} vectors, Q=${Q} queries (sample distance between two people ${sampleDist.toFixed(3)})`,
);

const url = new URL(process.env.CHROMA_URL ?? "http://127.0.0.1:8005");
const client = new ChromaClient({
  host: url.hostname,
  port: Number(url.port || 80),
  ssl: url.protocol === "https:",
});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function fill(c: Collection) {
  const BATCH = 2000;
  const t0 = performance.now();
  for (let i = 0; i < N; i += BATCH) {
    const ids = Array.from({ length: Math.min(BATCH, N - i) }, (_, j) => `v${i + j}`);
    await c.add({
      ids,
      embeddings: ids.map((_, j) => vectors[i + j]!),
      metadatas: ids.map((_, j) => ({ user_id: userOf(i + j) })),
    });
    if ((i / BATCH) % 10 === 9) process.stdout.write(`  indexed ${i + BATCH}\n`);
  }
  return (performance.now() - t0) / 1000;
}

async function recall(c: Collection) {
  let hits = 0;
  const times: number[] = [];
  for (const [i, q] of queries.entries()) {
    const t0 = performance.now();
    const r = await c.query({ queryEmbeddings: [q], nResults: 20, include: ["distances"] });
    times.push(performance.now() - t0);
    if (r.ids[0]?.[0] === `v${exactNearest[i]}`) hits++;
  }
  return `recall@1 ${((100 * hits) / Q).toFixed(1)}% (${hits}/${Q}), query median ${median(times).toFixed(1)} ms`;
}

for (const setting of SETTINGS) {
  const name = `recall-bench-${randomUUID().slice(0, 8)}`;
  const [efc, efs, m] = setting === "default" ? [] : setting.split(",").map(Number);
  const hnsw =
    setting === "default"
      ? { space: "cosine" as const }
      : { space: "cosine" as const, ef_construction: efc, ef_search: efs, max_neighbors: m };
  const c = await client.createCollection({ name, configuration: { hnsw }, embeddingFunction: null });
  try {
    const seconds = await fill(c);
    const label = setting === "default" ? "defaults" : `ef_construction=${efc} max_neighbors=${m}`;
    console.log(
      `HNSW ${label}${efs ? ` ef_search=${efs}` : ""}: ${await recall(c)}, indexing ${seconds.toFixed(0)} s`,
    );
    // ef_search can change on a built index: a few smaller values show the trade-off (queries ask for 20, as
    // the service's search does, so the effective breadth is never below 20).
    for (const ef of setting === "default" ? [] : EF_SEARCH.filter((e) => e !== efs)) {
      await c.modify({ configuration: { hnsw: { ef_search: ef } } });
      console.log(`HNSW ${label} ef_search=${ef}: ${await recall(c)}`);
    }
    if (setting === SETTINGS.at(-1) && MANIFEST > 0) {
      // A manifest: MANIFEST users (two examples each) around the query's own user.
      const filtered: number[] = [];
      const scanned: number[] = [];
      let agree = 0;
      for (const [i, q] of queries.slice(0, 50).entries()) {
        const own = Math.floor(exactNearest[i]! / 2);
        const start = Math.max(0, Math.min(own - MANIFEST / 2, N / 2 - MANIFEST));
        const users = Array.from({ length: MANIFEST }, (_, j) => `u${start + j}`);
        let t0 = performance.now();
        const f = await c.query({
          queryEmbeddings: [q],
          nResults: 10,
          where: { user_id: { $in: users } },
          include: ["distances", "metadatas"],
        });
        filtered.push(performance.now() - t0);
        t0 = performance.now();
        const ids = users.flatMap((u) => [`v${2 * Number(u.slice(1))}`, `v${2 * Number(u.slice(1)) + 1}`]);
        const got = await c.get({ ids, include: ["embeddings"] });
        let best = "";
        let bestSim = -2;
        for (const [j, id] of got.ids.entries()) {
          const s = dot(q, got.embeddings[j]!);
          if (s > bestSim) [best, bestSim] = [id, s];
        }
        scanned.push(performance.now() - t0);
        if (f.ids[0]?.[0] === best) agree++;
      }
      console.log(
        `manifest of ${MANIFEST} users (${2 * MANIFEST} vectors): Chroma query with user_id $in filter median ${median(filtered).toFixed(1)} ms; fetch by id + exact scan median ${median(scanned).toFixed(1)} ms; same nearest in ${agree}/50`,
      );
    }
  } finally {
    await client.deleteCollection({ name });
  }
}
