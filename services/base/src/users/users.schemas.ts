import { z } from "zod";
import { pageQuerySchema, uuidSchema } from "@rail/common";
import { dateTimeSchema, imageSchema, positiveIntSchema } from "../shared/schemas.js";

export const userSchema = z.object({ id: z.string(), name: z.string() });
export type UserDto = z.infer<typeof userSchema>;

export const userCreationSchema = z.object({
  name: z.string().trim().min(1).max(60),
  face: imageSchema.nullable().default(null),
});

export const faceUpdateSchema = z.object({ face: imageSchema });
export const usersQuerySchema = pageQuerySchema.extend({
  /** Part of the name, any case. */
  q: z.string().trim().max(60).optional(),
});
export const userIdParamsSchema = z.object({ user_id: uuidSchema });
export const userIdQuerySchema = z.object({ user_id: uuidSchema });
/**
 * The reference body is `{image}`. A robot may add its current run (`train_number` + `train_date`, the run's
 * departure from its origin, as in TrainData): then only passengers holding a ticket on that run are candidates.
 */
export const identificationSchema = z
  .object({
    image: imageSchema,
    train_number: positiveIntSchema.optional(),
    train_date: dateTimeSchema.optional(),
  })
  .refine((b) => (b.train_number === undefined) === (b.train_date === undefined), {
    message: "train_number and train_date go together",
    path: ["train_date"],
  });
