// Types of env-file.mjs (plain JavaScript so that scripts/stack can import it before `pnpm install`).
export declare const ENV_FILES: string[];
export declare function parseEnvFile(text: string): Record<string, string>;
export declare function mergeEnv(
  files: Array<Record<string, string>>,
  environment: Record<string, string | undefined>,
): Record<string, string>;
export declare function loadEnvFiles(
  root: string,
  environment?: Record<string, string | undefined>,
): Record<string, string>;
