import { ChromaClient, type Collection } from "chromadb";
import { serviceUnavailable } from "@rail/common";
import type { ReadinessCheck } from "@rail/common";

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
        configuration: { hnsw: { space: "cosine" } },
        metadata: { purpose: "face examples (128-d face-api descriptors)" },
        embeddingFunction: null,
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

  /** Stored embeddings by id (ids Chroma does not hold are simply absent). */
  embeddings(ids: string[]): Promise<Map<string, number[]>> {
    if (ids.length === 0) return Promise.resolve(new Map());
    return this.call(async (c) => {
      const result = await c.get({ ids, include: ["embeddings"] });
      return new Map(result.ids.map((id, i) => [id, result.embeddings[i] ?? []]));
    });
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
  }
}
