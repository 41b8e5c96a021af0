import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The web app lives in web/; the express server in src/ serves the built files from dist/.
export default defineConfig({
  root: "web",
  plugins: [react()],
  build: { outDir: "../dist", emptyOutDir: true, reportCompressedSize: true },
});
