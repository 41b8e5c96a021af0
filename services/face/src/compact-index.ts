/**
 * `pnpm --filter @rail/face compact-index`: rebuilds the face collection from its live records (see
 * FaceVectorStore.compact and the README's "Compacting the face index"). Reads CHROMA_URL and FACE_COLLECTION
 * like the service (the environment, else the repository's .env / .env.example, as scripts/stack does).
 */
import { loadStackEnv } from "@rail/common/testing";
import { configSchema } from "./config.js";
import { FaceVectorStore } from "./vectors/face-vectors.js";

const settings = configSchema
  .pick({ CHROMA_URL: true, FACE_COLLECTION: true })
  .parse({ ...loadStackEnv(), ...process.env });
const store = new FaceVectorStore(settings.CHROMA_URL, settings.FACE_COLLECTION);
const started = performance.now();
let shown = -1;
const { records } = await store.compact((copied, total) => {
  // A line per tenth (and the last): enough to see it move without flooding a terminal or a CI log.
  const tenth = Math.floor((10 * copied) / Math.max(total, 1));
  if (tenth === shown) return;
  shown = tenth;
  console.log(`compact-index: copied ${copied.toLocaleString("en")} / ${total.toLocaleString("en")} records`);
});
console.log(
  `compact-index: ${settings.FACE_COLLECTION} rebuilt with ${records.toLocaleString("en")} records in ` +
    `${((performance.now() - started) / 1000).toFixed(1)} s`,
);
