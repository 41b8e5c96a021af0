import { useMemo } from "react";
import "./console.css";
import { Admin, Resource } from "react-admin";
import { useServices } from "../app/services.js";
import { dataProvider } from "./data.js";
import { authProvider, i18nProvider } from "./providers.js";
import { CONSOLE_RESOURCES, ROUTES } from "./resources/index.js";

/**
 * The engineer console at /console/: react-admin over the base and store admin APIs. Each resource (its routes
 * and pages) is a file in resources/; the shared list and form pieces are in common.tsx.
 */
export function ConsoleApp() {
  const { config } = useServices();
  const providers = useMemo(
    () => ({ auth: authProvider(config), data: dataProvider(config, ROUTES), i18n: i18nProvider() }),
    [config],
  );
  return (
    <Admin
      basename="/console"
      title="Railway"
      authProvider={providers.auth}
      dataProvider={providers.data}
      i18nProvider={providers.i18n}
      requireAuth
      disableTelemetry
    >
      {CONSOLE_RESOURCES.map(({ name, routes: _routes, ...pages }) => (
        <Resource key={name} name={name} {...pages} />
      ))}
    </Admin>
  );
}
