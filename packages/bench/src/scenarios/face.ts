import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { ChromaClient } from "chromadb";
import sharp from "sharp";
import { call, ok } from "../api.js";
import { pool } from "../db.js";
import { ENV, FACE, REPO_ROOT } from "../env.js";
import { remove, type Fixtures } from "../fixtures.js";
import { checkpoint, jsonHeaders, measure, type LoadSettings } from "../load.js";
import type { Report, RunSettings } from "../report-types.js";

const section = "face";
// Face inference is CPU-bound in the face service's worker pool; more connections only queue.
const IMAGE_CONNECTIONS = 4;
const BATCH = 1000;
const execFileAsync = promisify(execFile);

// People of the face-api sample photos not enrolled by the e2e tests (erin) or the robot demo (fiona); the first
// one nobody else has enrolled is used.
const PEOPLE = ["dana", "carol", "bella", "alice"] as const;

/** The face service's own test images: crops of the face-api sample photos (no download), 640x480. */
async function benchPhoto(person: (typeof PEOPLE)[number]): Promise<Buffer> {
  const images = (await import(
    /* @vite-ignore */ pathToFileURL(path.join(REPO_ROOT, "services/face/test/images.ts")).href
  )) as { faceCrop: (person: string) => Promise<Buffer> };
  const crop = await images.faceCrop(person);
  return sharp(crop)
    .resize(640, 480, { fit: "contain", background: "#808080" })
    .jpeg({ quality: 85 })
    .toBuffer();
}

// Deterministic face-like descriptors: a shared direction plus noise, so two synthetic "people" are about as far
// apart as two real faces (cosine distance ~0.1), never as close as two photos of one person.
let seed = 0x2545f491;
const uniform = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return ((seed >>> 0) + 0.5) / 4294967296;
};
const gauss = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
const normalise = (v: number[]) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

/**
 * Face search through nginx: by a 640x480 photo (decode + detection + descriptor + index), by a 128-d embedding
 * (index only), and Chroma queried directly with the same vector (the index's own cost). Then search by embedding
 * with 1k / 10k / 100k enrolled faces: synthetic descriptors added to the service's collection and its
 * `face_examples` table in batches, all removed again at the end.
 */
export async function faceScenarios(
  fx: Fixtures,
  run: RunSettings,
  runSettings: LoadSettings,
  report: Report,
) {
  // A face search takes up to seconds on a loaded machine: give each scenario enough time for a few hundred.
  const settings = {
    ...runSettings,
    duration: run.short ? runSettings.duration : Math.max(runSettings.duration, 8),
  };
  const userId = `bench-${randomUUID()}`;
  let photo: Buffer | undefined;
  let faceId = "";
  for (const person of PEOPLE) {
    photo = await benchPhoto(person);
    const enrol = await call("POST", `${FACE}/face`, fx.admin, {
      user_id: userId,
      image: photo.toString("base64"),
    });
    if (enrol.status === 200) {
      faceId = enrol.body.face_id as string;
      break;
    }
    if (enrol.status !== 409)
      throw new Error(`enrolling the bench face: ${enrol.status} ${JSON.stringify(enrol.body)}`);
  }
  if (!photo || !faceId) throw new Error("every sample face is enrolled already (409)");
  fx.onCleanup(() => remove(`${FACE}/face/${userId}`, () => fx.admin));

  const chromaUrl = new URL(ENV.CHROMA_URL ?? "http://127.0.0.1:8005");
  const chroma = new ChromaClient({ host: chromaUrl.hostname, port: Number(chromaUrl.port || 80) });
  const collection = await chroma.getCollection({ name: ENV.FACE_COLLECTION ?? "faces_v1" });
  const stored = await collection.get({ ids: [faceId], include: ["embeddings"] as never });
  const embedding = (stored.embeddings[0] as number[] | undefined) ?? [];
  if (embedding.length !== 128) throw new Error(`no stored embedding for the bench face ${faceId}`);

  const headers = jsonHeaders(fx.admin);
  const byImage = await measure(
    {
      url: `${FACE}/search`,
      method: "POST",
      headers,
      body: JSON.stringify({ image: photo.toString("base64") }),
      connections: IMAGE_CONNECTIONS,
    },
    settings,
  );
  report({
    section,
    name: "face search by image (640x480 JPEG)",
    result: byImage,
    note: `${IMAGE_CONNECTIONS} connections (inference is CPU-bound)`,
  });

  const embeddingBody = JSON.stringify({ embedding });
  const searchByEmbedding = () =>
    measure({ url: `${FACE}/search/embedding`, method: "POST", headers, body: embeddingBody }, settings);
  const rawChroma = (collectionId = collection.id) =>
    measure(
      {
        url: `${chromaUrl.origin}/api/v2/tenants/default_tenant/databases/default_database/collections/${collectionId}/query`,
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query_embeddings: [embedding],
          n_results: 10,
          include: ["distances", "metadatas"],
        }),
      },
      settings,
    );
  report({
    section,
    id: "face-embedding",
    name: "face search by embedding",
    result: await searchByEmbedding(),
  });
  report({
    section,
    name: "raw Chroma query, same vector, 10 nearest (no nginx, no service)",
    result: await rawChroma(),
  });

  // Growth: synthetic faces of bench users, in the collection and in face_examples, removed at the end.
  const db = pool("FACE");
  const ids: string[] = [];
  let compacted = true;
  // Chroma only marks deleted records, and searches keep walking them: once the synthetic faces are deleted the
  // face collection is rebuilt from its live records (the face service's compact-index), or every later search
  // of the stack would stay several times slower than before the bench.
  const compact = async () => {
    if (compacted) return;
    await execFileAsync("pnpm", ["--silent", "--filter", "@rail/face", "compact-index"], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...ENV },
    }).then(({ stdout }) => process.stdout.write(stdout.trimEnd().replace(/^/gm, "  ") + "\n"));
    compacted = true;
  };
  // The rows go first (they decide which vectors count), then the vectors, so a Chroma outage on the way leaves
  // at most unreferenced vectors behind.
  const removeSynthetic = async () => {
    await db.query("DELETE FROM face_examples WHERE id = ANY($1::uuid[])", [ids]);
    for (let i = 0; i < ids.length; i += BATCH) await collection.delete({ ids: ids.slice(i, i + BATCH) });
    ids.length = 0;
  };
  // Clean-ups run last in, first out: when the run stops early they remove what is left, then compact.
  fx.onCleanup(compact);
  fx.onCleanup(async () => {
    await removeSynthetic();
    await db.end();
  });
  const centre = normalise(Array.from({ length: 128 }, gauss));
  const active = async () =>
    Number(
      (await db.query<{ n: string }>("SELECT count(*) AS n FROM face_examples WHERE state = 'active'"))
        .rows[0]!.n,
    );
  for (const size of run.faceSizes) {
    const started = performance.now();
    const target = size - (await active());
    for (let added = 0; added < target; added += BATCH) {
      checkpoint();
      const n = Math.min(BATCH, target - added);
      const batch = Array.from({ length: n }, () => randomUUID());
      const vectors = batch.map(() => normalise(centre.map((c) => c + 0.0326 * gauss())));
      await db.query(
        `INSERT INTO face_examples (id, user_id, state, detector_score, box_x, box_y, box_width, box_height)
         SELECT id, $2 || '-' || id, 'active', 0.9, 0, 0, 100, 100 FROM unnest($1::uuid[]) AS t(id)`,
        [batch, userId],
      );
      ids.push(...batch);
      compacted = false;
      await collection.add({
        ids: batch,
        embeddings: vectors,
        metadatas: batch.map((id) => ({ user_id: `${userId}-${id}` })),
      });
    }
    if (target > 0)
      console.log(
        `  added ${target} synthetic faces in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    const total = await active();
    report({
      section,
      id: `face-embedding-${size}`,
      name: `face search by embedding, ${total.toLocaleString("en")} enrolled faces`,
      result: await searchByEmbedding(),
    });
  }
  if (ids.length > 0) {
    const grown = ids.length;
    await removeSynthetic();
    report({
      section,
      name: `raw Chroma query after the ${grown.toLocaleString("en")} synthetic faces were deleted again`,
      result: await rawChroma(),
      note: "deleted records stay in Chroma's index (marked), and every search still walks them",
    });
    await compact();
    const rebuilt = await chroma.getCollection({ name: collection.name });
    report({
      section,
      name: "raw Chroma query after `pnpm --filter @rail/face compact-index`",
      result: await rawChroma(rebuilt.id),
      note: "the collection rebuilt from its live records (what the bench leaves behind)",
    });
  }
  await ok("GET", `${FACE}/health`);
}
