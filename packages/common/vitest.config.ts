import { defineConfig } from "vitest/config";
import { serviceTestConfig } from "./src/testing/vitest.js";

export default defineConfig(serviceTestConfig());
