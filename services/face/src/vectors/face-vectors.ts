import { ChromaClient, type Collection } from "chromadb";
import { serviceUnavailable } from "@rail/common";
import type { ReadinessCheck } from "@rail/common";

/**
 * HNSW parameters of the collection. Chroma's defaults (ef_construction 100, ef_search 100, max_neighbors 16)
 * missed the true nearest face in ~26 % of queries at 100k face-like vectors (they all lie in a narrow cone);
 * these values are measured by bench/index-recall.ts (README). ef_construction and max_neighbors only apply when
 * the collection is created; ef_search is also applied to an existing collection at start.
 */
export const FACE_INDEX_HNSW = { ef_construction: 200, ef_search: 500, max_neighbors: 32 };

/** Vectors kept in memory (~1 KB each as numbers): 50k = the examples of a few dozen full trains. */
const EMBEDDING_CACHE_SIZE = 50_000;

export interface VectorHit {
  id: string;
  userId: string;
  /** Cosine distance, 0 (identical) .. 2 (opposite). */
  distance: number;
}

/**
 * The Chroma collection of face embeddings: one record per face example, id = example id, metadata user_id,
 * cosine space. Postgres decides which records count (see faces.service.ts); this class only stores vectors.
 */
export class FaceVectorStore {
  private readonly client: ChromaClient;
  private collection?: Promise<Collection>;
  private readonly cache = new Map<string, number[]>();

  constructor(
    chromaUrl: string,
    private readonly collectionName: string,
  ) {
    const url = new URL(chromaUrl);
    this.client = new ChromaClient({
      host: url.hostname,
      port: url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80,
      ssl: url.protocol === "https:",
    });
  }

  private open(): Promise<Collection> {
    this.collection ??= this.client
      .getOrCreateCollection({
        name: this.collectionName,
        configuration: { hnsw: { space: "cosine", ...FACE_INDEX_HNSW } },
        metadata: { purpose: "face examples (128-d face-api descriptors)" },
        embeddingFunction: null,
      })
      .then(async (collection) => {
        // A collection created before these settings keeps its graph, but gets the search breadth.
        if (collection.configuration.hnsw?.ef_search !== FACE_INDEX_HNSW.ef_search)
          await collection.modify({ configuration: { hnsw: { ef_search: FACE_INDEX_HNSW.ef_search } } });
        return collection;
      })
      .catch((err: unknown) => {
        this.collection = undefined; // retry on the next call
        throw err;
      });
    return this.collection;
  }

  /** Chroma failures become 503 so callers (the base service) degrade with a clear detail. */
  private async call<T>(fn: (c: Collection) => Promise<T>): Promise<T> {
    let collection: Collection;
    try {
      collection = await this.open();
    } catch {
      throw serviceUnavailable("Face index unavailable");
    }
    try {
      return await fn(collection);
    } catch {
      throw serviceUnavailable("Face index unavailable");
    }
  }

  upsert(id: string, userId: string, embedding: number[]): Promise<void> {
    return this.call((c) =>
      c.upsert({ ids: [id], embeddings: [embedding], metadatas: [{ user_id: userId }] }),
    );
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    this.forget(ids);
    await this.call((c) => c.delete({ ids }));
  }

  /** The k nearest records, nearest first. */
  nearest(embedding: number[], k: number): Promise<VectorHit[]> {
    return this.call(async (c) => {
      const result = await c.query({
        queryEmbeddings: [embedding],
        nResults: k,
        include: ["distances", "metadatas"],
      });
      const ids = result.ids[0] ?? [];
      return ids.map((id, i) => ({
        id,
        userId: String(result.metadatas[0]?.[i]?.user_id ?? ""),
        distance: result.distances[0]?.[i] ?? Number.POSITIVE_INFINITY,
      }));
    });
  }

  /**
   * Stored embeddings by id (ids Chroma does not hold are simply absent). A record's vector never changes (every
   * enrolment writes a new id), so fetched vectors are kept in a bounded in-memory cache: a manifest check of
   * 1,000 passengers otherwise fetches ~3,000 vectors from Chroma every time. Which ids count is still decided by
   * Postgres on every call, so a cached vector of a deleted example is never asked for.
   */
  async embeddings(ids: string[]): Promise<Map<string, number[]>> {
    const found = new Map<string, number[]>();
    const missing: string[] = [];
    for (const id of ids) {
      const v = this.cache.get(id);
      if (v) found.set(id, v);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    const result = await this.call((c) => c.get({ ids: missing, include: ["embeddings"] }));
    for (const [i, id] of result.ids.entries()) {
      const v = result.embeddings[i] ?? [];
      found.set(id, v);
      if (v.length) this.remember(id, v);
    }
    return found;
  }

  private remember(id: string, vector: number[]) {
    if (this.cache.size >= EMBEDDING_CACHE_SIZE) {
      // Oldest first (Map keeps insertion order): a simple FIFO bound is enough for a working set of manifests.
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(id, vector);
  }

  /** Forgets removed records (not needed for correctness, only to free memory). */
  private forget(ids: string[]) {
    for (const id of ids) this.cache.delete(id);
  }

  readinessCheck(): ReadinessCheck {
    return {
      name: "chroma",
      check: async () => {
        await this.client.heartbeat();
      },
    };
  }

  /** Test cleanup: drops the whole collection. */
  async dropCollection(): Promise<void> {
    try {
      await this.client.deleteCollection({ name: this.collectionName });
    } catch {
      // already gone
    }
    this.collection = undefined;
    this.cache.clear();
  }
}
