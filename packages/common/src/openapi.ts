import { z } from "zod";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

export interface OpenApiOperation {
  method: HttpMethod;
  path: string;
  summary: string;
  description?: string;
  tags?: string[];
  security?: string[];
  body?: z.ZodType;
  bodyContentType?: string;
  /** Media types of a binary success answer (e.g. images), documented as `format: binary`. */
  binaryResponse?: string[];
  query?: z.ZodType;
  params?: z.ZodType;
  response?: z.ZodType;
  status?: number;
  errors?: Record<number, string>;
}

export interface SecuritySchemeDoc {
  type: "http" | "apiKey";
  scheme?: string;
  description?: string;
}

/** Converts an express path (`/a/:id`) to an OpenAPI one (`/a/{id}`). */
export const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const result = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
    override: (ctx) => {
      const def = (ctx.zodSchema as { _zod: { def: { type: string } } })._zod.def;
      if (def.type === "date") {
        ctx.jsonSchema.type = "string";
        ctx.jsonSchema.format = "date-time";
      }
      // zod bounds every integer by the safe-integer range; left in, the docs page shows -9007199254740991 as
      // the sample value of every unbounded integer (totals, train numbers...). Only real bounds stay.
      if (ctx.jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete ctx.jsonSchema.minimum;
      if (ctx.jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete ctx.jsonSchema.maximum;
    },
  }) as Record<string, unknown>;
  delete result.$schema;
  return result;
}

function parameters(schema: z.ZodType | undefined, location: "query" | "path") {
  if (!schema) return [];
  const js = jsonSchema(schema, "input") as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: location,
    required: location === "path" || (js.required ?? []).includes(name),
    schema: s,
  }));
}

const detailSchema = {
  type: "object",
  properties: { detail: { description: "A message, an object, or (422) a list of validation issues" } },
  required: ["detail"],
};

/** Builds an OpenAPI 3.1 document from the routes a service registered (JSON Schema 2020-12 bodies). */
export function buildOpenApiDocument(opts: {
  title: string;
  version: string;
  description?: string;
  serverUrl: string;
  operations: OpenApiOperation[];
  securitySchemes?: Record<string, SecuritySchemeDoc>;
}) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of opts.operations) {
    const path = toOpenApiPath(op.path);
    const responses: Record<string, unknown> = {
      [String(op.status ?? 200)]: {
        description: "Success",
        content: op.response
          ? { "application/json": { schema: jsonSchema(op.response, "output") } }
          : op.binaryResponse
            ? Object.fromEntries(
                op.binaryResponse.map((type) => [type, { schema: { type: "string", format: "binary" } }]),
              )
            : undefined,
      },
    };
    const errors: Record<number, string> = {};
    if (op.body || op.query || op.params) errors[422] = "Validation error";
    // What the kit itself answers around every route (so clients and fuzzers find every status documented).
    if (op.params) errors[400] = "Malformed percent-encoding in the URL path";
    if (op.body || op.bodyContentType) {
      errors[413] = "Request body too large";
      errors[415] = "Unsupported media type, charset or content encoding";
    }
    errors[503] = "A dependency (database, Redis, another service) is unavailable";
    Object.assign(errors, op.errors);
    if (op.security?.length) {
      errors[401] ??= "Missing or invalid credentials";
    }
    for (const [status, description] of Object.entries(errors)) {
      responses[status] = { description, content: { "application/json": { schema: detailSchema } } };
    }
    (paths[path] ??= {})[op.method] = {
      summary: op.summary,
      description: op.description,
      tags: op.tags,
      security: op.security?.map((name) => ({ [name]: [] })),
      parameters: [...parameters(op.params, "path"), ...parameters(op.query, "query")],
      requestBody: op.body
        ? {
            required: true,
            content: { [op.bodyContentType ?? "application/json"]: { schema: jsonSchema(op.body, "input") } },
          }
        : undefined,
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: opts.title, version: opts.version, description: opts.description },
    servers: [{ url: opts.serverUrl }],
    paths,
    components: { securitySchemes: opts.securitySchemes ?? {} },
  };
}
