import { randomInt } from "node:crypto";

// The reference's 72-symbol pool (challenges, ticket codes), drawn with crypto randomness instead of `random`.
const POOL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz1234567890!@#$%^&*()";

export const randomPoolString = (length: number) =>
  Array.from({ length }, () => POOL[randomInt(POOL.length)]).join("");
