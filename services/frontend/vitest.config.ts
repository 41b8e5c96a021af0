import { defineConfig } from "vitest/config";
import { serviceTestConfig } from "@rail/common/testing";

export default defineConfig(serviceTestConfig());
