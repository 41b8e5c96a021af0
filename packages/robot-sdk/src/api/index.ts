/**
 * Request and response types of single routes, read from the generated src/api/{base,store}.ts (see
 * scripts/openapi.ts): `BaseOk<"/robot/ticket_keys", "get">` is the JSON of that route's 200 answer.
 */
import type { paths as BasePaths } from "./base.js";
import type { paths as StorePaths } from "./store.js";

type Json<T> = T extends { content: { "application/json": infer J } } ? J : never;
type Operation<P, Path extends keyof P, M extends Method> = M extends keyof P[Path]
  ? NonNullable<P[Path][M]>
  : never;
type Method = "get" | "post" | "put" | "delete";
type OkOf<O> = O extends { responses: { 200: infer R } } ? Json<R> : never;
type BodyOf<O> = O extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;

export type BaseOk<Path extends keyof BasePaths, M extends Method> = OkOf<Operation<BasePaths, Path, M>>;
export type BaseBody<Path extends keyof BasePaths, M extends Method> = BodyOf<Operation<BasePaths, Path, M>>;
export type StoreOk<Path extends keyof StorePaths, M extends Method> = OkOf<Operation<StorePaths, Path, M>>;
export type StoreBody<Path extends keyof StorePaths, M extends Method> = BodyOf<
  Operation<StorePaths, Path, M>
>;
export type { BasePaths, StorePaths };
