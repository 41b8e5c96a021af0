import { defineConfig } from "tsup";

// Production bundle: workspace code is inlined, npm dependencies stay external.
export default defineConfig({
  // The inference worker is its own entry: the pool loads dist/inference.worker.js beside dist/main.js.
  entry: { main: "src/main.ts", "inference.worker": "src/inference/inference.worker.ts" },
  format: ["esm"],
  platform: "node",
  target: "node20",
  outDir: "dist",
  clean: true,
  sourcemap: true,
  noExternal: [/^@rail\//],
});
