import { z } from "zod";
import { ApiRouter } from "@rail/common";
import type { Guards } from "../shared/guards.js";
import { runParamsSchema } from "../runs/runs.schemas.js";
import {
  runDetailSchema,
  runOfferSchema,
  runSearchQuerySchema,
  runStoresSchema,
  seatMapSchema,
  trainDateQuerySchema,
  trainNumberParamsSchema,
} from "./timetable.schemas.js";
import type { TimetableService } from "./timetable.service.js";

const TAGS = ["timetable"];

/** The public timetable (no login): the passenger site and anyone else may read it. */
export function timetableRoutes(timetable: TimetableService): ApiRouter {
  return new ApiRouter()
    .route({
      method: "get",
      path: "/timetable/runs",
      summary: "Runs from one station to another on a date, with free seats per wagon class",
      description:
        "`date` is the local date at `from`. Times are ISO 8601 with the station's UTC offset. Free seats " +
        "count neither sold places nor places under a hold that has not expired.",
      tags: TAGS,
      query: runSearchQuerySchema,
      response: z.array(runOfferSchema),
      errors: { 422: "Unknown station id, or from = to" },
      handler: ({ query }) => timetable.search(query),
    })
    .route({
      method: "get",
      path: "/timetable/runs/:run_id",
      summary: "A run: times at every stop and free seats per wagon",
      tags: TAGS,
      params: runParamsSchema,
      response: runDetailSchema,
      errors: { 404: "Run not found" },
      handler: ({ params }) => timetable.detail(params.run_id),
    })
    .route({
      method: "get",
      path: "/timetable/runs/:run_id/seats",
      summary: "A run's seat map: every place of every wagon, free, held or taken",
      tags: TAGS,
      params: runParamsSchema,
      response: seatMapSchema,
      errors: { 404: "Run not found" },
      handler: ({ params }) => timetable.seatMap(params.run_id),
    })
    .route({
      method: "get",
      path: "/timetable/runs/:run_id/stores",
      summary: "Ids of the stores serving a run (`items`)",
      tags: TAGS,
      params: runParamsSchema,
      response: runStoresSchema,
      errors: { 404: "Run not found" },
      handler: ({ params }) => timetable.runStores(params.run_id),
    });
}

/** The field robot's `GET /robot/train/{train_number}/stores` (reference 12.3 item 13). */
export function robotTrainStoresRoutes(
  timetable: TimetableService,
  guards: Pick<Guards, "robot">,
): ApiRouter {
  return new ApiRouter().route({
    method: "get",
    path: "/robot/train/:train_number/stores",
    summary: "Ids of the stores serving a train's run (`items`), for the robot client",
    description:
      "The robot sends no date: the answer is for the train's current run (the one in progress, else today's " +
      "next departure, today being the local date at the train's first stop). With `train_date` (the run's " +
      "departure from its first stop) it is for that run. The robot then asks the store service about `items`.",
    tags: ["robot"],
    auth: guards.robot,
    params: trainNumberParamsSchema,
    query: trainDateQuerySchema,
    response: runStoresSchema,
    errors: {
      404: "Train not found | Train N has no run in progress or departing today | No run of train N departs at …",
    },
    handler: ({ params, query }) => timetable.trainStores(params.train_number, query.train_date),
  });
}
