import { z } from "zod";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./openapi.js";
import { pageQuerySchema, pageSchema } from "./pagination.js";

describe("OpenAPI sample values", () => {
  const doc = buildOpenApiDocument({
    title: "t",
    version: "1",
    serverUrl: "/t",
    operations: [
      {
        method: "get",
        path: "/things",
        summary: "Things",
        query: pageQuerySchema,
        body: z.object({ train_number: z.number().int(), wagon: z.number().int().min(1).max(20) }),
        response: pageSchema(z.object({ count: z.number().int() })),
      },
    ],
  });
  const text = JSON.stringify(doc);

  it("leaves out zod's implicit safe-integer bounds (the docs page showed -9007199254740991)", () => {
    expect(text).not.toContain("9007199254740991");
  });

  it("keeps real bounds and shows realistic page examples", () => {
    const op = (doc.paths["/things"] as Record<string, Record<string, unknown>>).get as {
      parameters: { name: string; schema: Record<string, unknown> }[];
      requestBody: { content: { "application/json": { schema: { properties: Record<string, unknown> } } } };
      responses: Record<
        string,
        { content: { "application/json": { schema: { properties: Record<string, unknown> } } } }
      >;
    };
    const query = Object.fromEntries(op.parameters.map((p) => [p.name, p.schema]));
    expect(query.page).toMatchObject({ minimum: 1, examples: [1] });
    expect(query.size).toMatchObject({ minimum: 1, maximum: 100, examples: [50] });
    expect(op.requestBody.content["application/json"].schema.properties.wagon).toMatchObject({
      minimum: 1,
      maximum: 20,
    });
    const envelope = op.responses["200"]!.content["application/json"].schema.properties;
    expect(envelope.total).toMatchObject({ minimum: 0, examples: [1] });
    expect(envelope.pages).toMatchObject({ minimum: 0 });
  });
});

describe("OpenAPI binary answers", () => {
  it("documents a handler's own bytes under each media type it names", () => {
    const doc = buildOpenApiDocument({
      title: "t",
      version: "1",
      serverUrl: "/t",
      operations: [
        {
          method: "get",
          path: "/pictures/:id",
          summary: "A picture",
          binaryResponse: ["image/png", "image/webp"],
        },
      ],
    });
    const ok = (
      doc.paths["/pictures/{id}"] as Record<string, { responses: Record<string, { content?: unknown }> }>
    ).get!.responses["200"]!;
    expect(ok.content).toEqual({
      "image/png": { schema: { type: "string", format: "binary" } },
      "image/webp": { schema: { type: "string", format: "binary" } },
    });
  });
});
