import { ChromaClient, ChromaNotFoundError, type Collection } from "chromadb";
import { serviceUnavailable } from "@rail/common";
import type { ReadinessCheck } from "@rail/common";

/**
 * HNSW parameters of the collection. Chroma's defaults (ef_construction 100, ef_search 100, max_neighbors 16)
 * missed the true nearest face in ~26 % of queries at 100k face-like vectors (they all lie in a narrow cone);
 * these values are measured by bench/index-recall.ts (README). ef_construction and max_neighbors only apply when
 * the collection is created; ef_search is also applied to an existing collection at start.
 */
export const FACE_INDEX_HNSW = { ef_construction: 200, ef_search: 500, max_neighbors: 32 };

/** Records copied per request when a collection is compacted. */
const COMPACTION_PAGE = 1_000;

export interface CompactionResult {
  /** Records in the rebuilt collection (the same as before). */
  records: number;
}

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

  /**
   * Chroma failures become 503 so callers (the base service) degrade with a clear detail. A collection that is
   * gone (replaced by `compact`, or Chroma's data wiped) is looked up again by name once, instead of answering
   * 503 until the service restarts.
   */
  private async call<T>(fn: (c: Collection) => Promise<T>, retry = true): Promise<T> {
    const opened = this.open();
    let collection: Collection;
    try {
      collection = await opened;
    } catch {
      throw serviceUnavailable("Face index unavailable");
    }
    try {
      return await fn(collection);
    } catch (err) {
      if (retry && err instanceof ChromaNotFoundError) {
        if (this.collection === opened) this.collection = undefined;
        return this.call(fn, false);
      }
      throw serviceUnavailable("Face index unavailable");
    }
  }

  /**
   * Rebuilds the collection from its live records. Chroma's HNSW index only marks deleted records, and searches
   * still walk them: after many enrolments were deleted (passengers leaving, or the benchmarks' synthetic faces)
   * a search takes several times as long (README, "Compacting the face index"). The records are copied into a new
   * collection with the same configuration, which then takes the name; the old one is deleted. Meant for a quiet
   * moment: an enrolment written during the copy is caught by the count check (nothing is switched) and the
   * command can be run again. Running services switch over by themselves (`call`).
   */
  async compact(
    progress: (copied: number, total: number) => void | Promise<void> = () => {},
  ): Promise<CompactionResult> {
    const old = await this.client.getCollection({
      name: this.collectionName,
      embeddingFunction: null,
    } as never);
    const total = await old.count();
    const suffix = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const fresh = await this.client.createCollection({
      name: `${this.collectionName}-compact-${suffix}`,
      configuration: { hnsw: { ...old.configuration.hnsw, space: "cosine", ...FACE_INDEX_HNSW } },
      metadata: old.metadata ?? undefined,
      embeddingFunction: null,
    });
    try {
      for (let offset = 0; offset < total; offset += COMPACTION_PAGE) {
        const page = await old.get({
          limit: COMPACTION_PAGE,
          offset,
          include: ["embeddings", "metadatas"] as never,
        });
        if (page.ids.length > 0)
          await fresh.add({
            ids: page.ids,
            embeddings: page.embeddings as number[][],
            metadatas: page.metadatas as Record<string, string>[],
          });
        await progress(Math.min(offset + page.ids.length, total), total);
      }
      const copied = await fresh.count();
      if (copied !== total || (await old.count()) !== total)
        throw new Error(
          `the collection changed while it was copied (${total} -> ${copied} records); run it again`,
        );
      await old.modify({ name: `${this.collectionName}-replaced-${suffix}` });
    } catch (err) {
      await this.client.deleteCollection({ name: fresh.name }).catch(() => undefined);
      throw err;
    }
    await fresh.modify({ name: this.collectionName });
    await this.client.deleteCollection({ name: `${this.collectionName}-replaced-${suffix}` });
    this.collection = undefined;
    return { records: total };
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
