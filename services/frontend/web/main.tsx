import "./app/styles.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import i18next from "i18next";
import { createBaseApi, createStoreApi } from "./api/client.js";
import { App } from "./app/App.js";
import { Auth } from "./app/auth.js";
import { loadWebConfig } from "./app/config.js";
import { ServicesProvider } from "./app/services.js";
import { initI18n } from "./i18n/index.js";

async function start() {
  const root = createRoot(document.getElementById("app")!);
  const i18n = initI18n();
  try {
    const config = await loadWebConfig();
    const auth = new Auth(config, () => i18next.language);
    const services = {
      config,
      auth,
      api: createBaseApi(config.baseApi, auth),
      storeApi: createStoreApi(config.storeApi, auth),
    };
    root.render(
      <StrictMode>
        <ServicesProvider services={services}>
          <App />
        </ServicesProvider>
      </StrictMode>,
    );
  } catch (err) {
    root.render(
      <p className="message error" role="alert">
        {i18n.t("errors.config", { reason: (err as Error).message })}
      </p>,
    );
  }
}

void start();
