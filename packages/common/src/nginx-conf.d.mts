// Types of nginx-conf.mjs (plain JavaScript so that scripts/stack can import it).
export declare const NGINX_TEMP_DIRS: string[];
export declare function renderUpstreams(
  ports: Record<"base" | "store" | "face" | "frontend" | "keycloak", number[]>,
  header: string,
): string;
export declare const withListenPort: (text: string, listen: number | string) => string;
export declare const mimeTypes: () => string;
