// Runs after every other file (vitest.config.ts: project "dev-data", groupOrder 1).
import { devDataGuard } from "@rail/common/testing/dev-data-guard";

devDataGuard("reliability suite");
