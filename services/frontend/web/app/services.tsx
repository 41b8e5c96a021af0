import type { User } from "oidc-client-ts";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import type { BaseApi, StoreApi } from "../api/client.js";
import type { Auth } from "./auth.js";
import type { WebConfig } from "./config.js";

/** What every route tree (passenger site, later the console and the terminal) shares. */
export interface Services {
  config: WebConfig;
  auth: Auth;
  api: BaseApi;
  storeApi: StoreApi;
}

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ services, children }: { services: Services; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error("useServices outside ServicesProvider");
  return services;
}

/** The signed-in passenger (undefined while loading, null when signed out), kept current by oidc events. */
export function useUser(): User | null | undefined {
  const { auth } = useServices();
  const [user, setUser] = useState<User | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void auth.user().then((u) => live && setUser(u));
    const loaded = (u: User) => setUser(u);
    const unloaded = () => setUser(null);
    auth.manager.events.addUserLoaded(loaded);
    auth.manager.events.addUserUnloaded(unloaded);
    return () => {
      live = false;
      auth.manager.events.removeUserLoaded(loaded);
      auth.manager.events.removeUserUnloaded(unloaded);
    };
  }, [auth]);
  return user;
}
