import { randomBytes } from "node:crypto";
import { ChromaClient } from "chromadb";
import { afterEach, describe, expect, it } from "vitest";
import { FACE_INDEX_HNSW, FaceVectorStore } from "./face-vectors.js";

// The stack's Chroma (real), a collection of its own per test.
const chromaUrl = new URL(process.env.CHROMA_URL!);
const chroma = new ChromaClient({ host: chromaUrl.hostname, port: Number(chromaUrl.port), ssl: false });

/** A unit vector of 128 pseudo-random components, the same for the same seed. */
function vector(seed: number): number[] {
  let x = seed * 2654435761 + 1;
  const v = Array.from({ length: 128 }, () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648 - 0.5;
  });
  const n = Math.hypot(...v);
  return v.map((c) => c / n);
}

describe("FaceVectorStore: compaction and a collection replaced behind a running service", () => {
  const names: string[] = [];
  const newStore = () => {
    const name = `faces_test_${randomBytes(5).toString("hex")}`;
    names.push(name);
    return { name, store: new FaceVectorStore(chromaUrl.origin, name) };
  };
  const collectionNames = async () => (await chroma.listCollections()).map((c) => c.name);
  afterEach(async () => {
    for (const name of await collectionNames())
      if (names.some((n) => name.startsWith(n))) await chroma.deleteCollection({ name });
  });

  /** Records id-0.. (user-0..), the last `deleted` of them deleted again; the store creates the collection. */
  async function fill(store: FaceVectorStore, name: string, live: number, deleted: number) {
    await store.upsert("id-0", "user-0", vector(0));
    const collection = await chroma.getCollection({ name, embeddingFunction: null } as never);
    for (let from = 1; from < live + deleted; from += 500) {
      const seeds = Array.from({ length: Math.min(500, live + deleted - from) }, (_, i) => from + i);
      await collection.add({
        ids: seeds.map((i) => `id-${i}`),
        embeddings: seeds.map(vector),
        metadatas: seeds.map((i) => ({ user_id: `user-${i}` })),
      });
    }
    await store.remove(Array.from({ length: deleted }, (_, i) => `id-${live + i}`));
  }

  it("rebuilds the collection with exactly its live records and settings; running stores switch over", async () => {
    const { name, store } = newStore();
    await fill(store, name, 30, 60);
    // Another process of the service, holding the collection as it was.
    const other = new FaceVectorStore(chromaUrl.origin, name);
    expect((await other.nearest(vector(5), 1))[0]).toMatchObject({ id: "id-5", userId: "user-5" });
    const before = await chroma.getCollection({ name, embeddingFunction: null } as never);

    const progress: [number, number][] = [];
    expect(
      await store.compact((copied, total) => {
        progress.push([copied, total]);
      }),
    ).toEqual({ records: 30 });
    expect(progress.at(-1)).toEqual([30, 30]);

    const after = await chroma.getCollection({ name, embeddingFunction: null } as never);
    expect(after.id).not.toBe(before.id);
    expect(after.configuration.hnsw).toMatchObject({ space: "cosine", ...FACE_INDEX_HNSW });
    const records = await after.get({ include: ["embeddings", "metadatas"] as never });
    expect([...records.ids].sort()).toEqual(Array.from({ length: 30 }, (_, i) => `id-${i}`).sort());
    const i7 = records.ids.indexOf("id-7");
    expect(records.metadatas[i7]).toEqual({ user_id: "user-7" });
    expect(records.embeddings[i7]!.map((c) => c.toFixed(5))).toEqual(vector(7).map((c) => c.toFixed(5)));
    // Only the rebuilt collection is left under this name's prefix.
    expect((await collectionNames()).filter((n) => n.startsWith(name))).toEqual([name]);

    // Both stores answer from the new collection (no 503 until a restart), deleted records stay deleted.
    for (const s of [store, other]) {
      expect((await s.nearest(vector(12), 1))[0]).toMatchObject({ id: "id-12", userId: "user-12" });
      expect((await s.nearest(vector(40), 3)).map((h) => h.id)).not.toContain("id-40");
    }
    await other.upsert("id-new", "user-new", vector(1000));
    expect(await after.count()).toBe(31);
  });

  it("switches nothing when the collection changes during the copy", async () => {
    const { name, store } = newStore();
    await fill(store, name, 1_500, 0); // two pages
    const before = await chroma.getCollection({ name, embeddingFunction: null } as never);
    await expect(
      store.compact(async (copied) => {
        // An enrolment while the first page is being copied.
        if (copied === 1_000) await before.add({ ids: ["late"], embeddings: [vector(5000)] });
      }),
    ).rejects.toThrow(/changed while it was copied/);
    const still = await chroma.getCollection({ name, embeddingFunction: null } as never);
    expect(still.id).toBe(before.id);
    expect(await still.count()).toBe(1_501);
    expect((await collectionNames()).filter((n) => n.startsWith(name))).toEqual([name]);
  });

  it("recreates a collection wiped behind its back instead of failing until restarted", async () => {
    const { name, store } = newStore();
    await fill(store, name, 3, 0);
    await chroma.deleteCollection({ name });
    await store.upsert("id-9", "user-9", vector(9));
    expect(await store.nearest(vector(9), 5)).toEqual([
      expect.objectContaining({ id: "id-9", userId: "user-9" }),
    ]);
  });
});
