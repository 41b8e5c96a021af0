import { createLogger, runMain, startServer } from "@rail/common";
import { buildApp } from "./app.js";
import { readConfig } from "./config.js";

runMain(async () => {
  const config = readConfig();
  const logger = createLogger("frontend", config.LOG_LEVEL);
  await startServer({ app: buildApp({ config, logger }), port: config.PORT, host: config.HOST, logger });
});
