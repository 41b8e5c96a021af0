// @ts-check
// The files the local nginx needs beside the repository's nginx.conf, written by scripts/stack (scripts/lib/parts/
// nginx.mjs) and by the bench's second nginx (packages/bench/src/private-nginx.ts). Plain JavaScript with node
// built-ins only, so that scripts/stack can import it as it imports env-file.mjs.
import fs from "node:fs";

/** nginx's temp directories, kept under its prefix (the distribution's defaults may not be writable). */
export const NGINX_TEMP_DIRS = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"];

const SERVICES = /** @type {const} */ (["base", "store", "face", "frontend", "keycloak"]);

/**
 * upstreams.conf (pure): one upstream per service of nginx.conf, each over the given local ports (more than one:
 * nginx balances round-robin), and the temp paths under the prefix.
 * @param {Record<"base" | "store" | "face" | "frontend" | "keycloak", number[]>} ports
 * @param {string} header a comment line saying who wrote the file
 */
export function renderUpstreams(ports, header) {
  /** @param {string} name @param {number[]} servers */
  const upstream = (name, servers) =>
    `upstream rail_${name} {\n${servers.map((p) => `  server 127.0.0.1:${p} max_fails=0;\n`).join("")}  keepalive 16;\n}\n`;
  return [
    `# ${header}\n`,
    ...SERVICES.map((name) => upstream(name, ports[name])),
    "# Local temp paths (the distribution's defaults may not be writable).\n",
    ...NGINX_TEMP_DIRS.map((t) => `${t}_temp_path temp/${t};\n`),
  ].join("");
}

/**
 * The repository's nginx.conf listening elsewhere (pure): a port, or an address and port.
 * @param {string} text
 * @param {number | string} listen
 */
export const withListenPort = (text, listen) => text.replace(/listen 8080;/g, `listen ${listen};`);

/** mime.types for nginx.conf's `include`: the system's, or the few types the stack serves. */
export const mimeTypes = () => {
  const system = "/etc/nginx/mime.types";
  return fs.existsSync(system)
    ? fs.readFileSync(system, "utf8")
    : "types { text/html html; text/css css; application/javascript js; image/png png; image/svg+xml svg; }\n";
};
