import { z } from "zod";
import { ValidationError, pageQuerySchema, uuidSchema } from "@rail/common";
import { dateTimeSchema, positiveIntSchema } from "../shared/schemas.js";

/** Reference `TrainData`: a train run is its number and start instant. */
export const trainDataSchema = z.object({ train_number: positiveIntSchema, train_date: dateTimeSchema });
export type TrainData = z.infer<typeof trainDataSchema>;

export const storeIdParamsSchema = z.object({ store_id: uuidSchema });

/**
 * The reference's `GET /admin/train/stores` and `GET /robot/train/stores` take `TrainData` as a JSON body on a GET
 * (kept for its clients); the same fields are also accepted as query parameters so the routes can be tried from
 * the API docs page, where a GET cannot carry a body.
 */
export const trainQuerySchema = trainDataSchema.partial();
export const trainPageQuerySchema = pageQuerySchema.extend(trainQuerySchema.shape);
export const optionalTrainBodySchema = trainDataSchema.partial().optional();

export const TRAIN_BODY_OR_QUERY =
  "Give `train_number` and `train_date` as a JSON body (as the reference's clients do) or as query parameters; " +
  "a field present in both is taken from the body.";

/** Body fields win over query fields; a field in neither is the usual 422 `Field required` (located in the body). */
export function trainFromBodyOrQuery(
  body: Partial<TrainData> | undefined,
  query: Partial<TrainData>,
): TrainData {
  const train_number = body?.train_number ?? query.train_number;
  const train_date = body?.train_date ?? query.train_date;
  const missing = [
    ...(train_number === undefined ? ["train_number"] : []),
    ...(train_date === undefined ? ["train_date"] : []),
  ];
  if (train_number === undefined || train_date === undefined) {
    throw new ValidationError(
      missing.map((field) => ({ type: "missing", loc: ["body", field], msg: "Field required" })),
    );
  }
  return { train_number, train_date };
}
