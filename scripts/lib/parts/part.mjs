// @ts-check
/**
 * One process of the stack. `scripts/stack up` starts parts in order; `status`, `logs`, `start|stop|restart` take
 * their names.
 * @typedef {object} Part
 * @property {string} name
 * @property {boolean} [service] one of the four services (started with `pnpm --filter @rail/<name> start`)
 * @property {() => string} url shown by `status`
 * @property {() => number | null} pid the running process, or null
 * @property {() => Promise<number | null | void | "skipped">} start launches it (returns its pid when known)
 * @property {() => Promise<boolean>} healthy
 * @property {(pid: number) => Promise<void>} stop
 * @property {(pid: number) => Promise<void>} [whenRunning] called by `up` when the part already runs
 * @property {() => string} logFile
 * @property {number} timeoutS how long `up` waits for healthy
 */
export {};
