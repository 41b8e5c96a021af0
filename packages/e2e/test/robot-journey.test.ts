/**
 * A robot's working day through nginx, against the whole running stack (base, store and face services with
 * their real Postgres, Redis, Chroma and face models): the headless "robot client" acceptance scenario of the
 * reference (section 12.3), plus the store terminal's side of an order.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, STORE, call, engineerToken, enrolAndLogin } from "./support.js";

// Real face images come from the face service's own fixtures (crops of the face-api sample photos).
const FACE_IMAGES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../services/face/test/images.ts",
);
type FaceImages = {
  faceCrop: (person: "erin") => Promise<Buffer>;
  degradedCopy: (image: Buffer, scale?: number, quality?: number) => Promise<Buffer>;
};

describe("a robot's journey through the whole stack", () => {
  let images: FaceImages;
  let admin: string;
  let robot: { id: string; token: string };
  let enrolmentPhoto: Buffer;
  let cameraFrame: Buffer;
  let passengerId: string | undefined;
  let storeId: string | undefined;
  let runId: string | undefined;
  const departure = new Date(Date.now() + 2 * 3600_000);
  departure.setUTCMinutes(0, 0, 0);
  const trainNumber = 70_000 + Math.floor(Math.random() * 20_000);

  beforeAll(async () => {
    images = (await import(/* @vite-ignore */ pathToFileURL(FACE_IMAGES).href)) as FaceImages;
    enrolmentPhoto = await images.faceCrop("erin");
    cameraFrame = await images.degradedCopy(enrolmentPhoto, 0.7, 50);
    admin = await engineerToken();
    robot = await enrolAndLogin("robot", {
      robot_model_id: `e2e-${randomUUID()}`,
      robot_model_name: "E2E:1.0",
    });
    // A previous run that died half-way may have left this face enrolled: the face service would refuse it
    // for a new passenger (409), so remove that passenger first.
    const leftover = await call("POST", `${BASE}/robot/identification`, robot.token, {
      image: cameraFrame.toString("base64"),
    });
    if (leftover.status === 200) await call("DELETE", `${BASE}/admin/users/${leftover.body.id}`, admin);
    // Tickets and store bindings name a timetable run: a train of its own with one run, removed afterwards.
    const train = await call("POST", `${BASE}/admin/trains`, admin, {
      number: trainNumber,
      name: "E2E",
      stops: [
        { station_id: "SPB", departure_minutes: 0 },
        { station_id: "MOSCOW", arrival_minutes: 240 },
      ],
      wagons: [{ number: 3, class: "economy", seats: 40 }],
    });
    expect(train.status, JSON.stringify(train.body)).toBe(201);
    const run = await call("POST", `${BASE}/admin/runs`, admin, {
      train_number: trainNumber,
      departure: departure.toISOString(),
    });
    expect(run.status, JSON.stringify(run.body)).toBe(201);
    runId = (Array.isArray(run.body) ? run.body[0] : run.body).id;
  });

  afterAll(async () => {
    if (passengerId) await call("DELETE", `${BASE}/admin/users/${passengerId}`, admin);
    if (storeId) {
      // The terminal's key lives in base; deleting the store in the store service leaves it behind.
      await call("DELETE", `${BASE}/admin/store_terminals/${storeId}`, admin);
      await call("DELETE", `${STORE}/admin/store/${storeId}`, admin);
    }
    if (robot) await call("DELETE", `${BASE}/admin/robots/${robot.id}`, admin);
    if (runId) await call("DELETE", `${BASE}/admin/runs/${runId}`, admin);
    await call("DELETE", `${BASE}/admin/trains/${trainNumber}`, admin);
  });

  it("enrols a passenger with a photo and recognises them from a different camera frame", async () => {
    const created = await call("POST", `${BASE}/admin/user`, admin, {
      name: `E2E passenger ${randomUUID().slice(0, 8)}`,
      face: enrolmentPhoto.toString("base64"),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    passengerId = created.body.id;
    const seen = await call("POST", `${BASE}/robot/identification`, robot.token, {
      image: cameraFrame.toString("base64"),
    });
    expect(seen.status, JSON.stringify(seen.body)).toBe(200);
    expect(seen.body).toEqual(created.body);
  });

  it("validates the passenger's ticket by face exactly once", async () => {
    const ticket = await call("POST", `${BASE}/admin/ticket`, admin, {
      user_id: passengerId,
      train_number: trainNumber,
      wagon_number: 3,
      place_number: 17,
      station_id: "SPB",
      destination: "MOSCOW",
      date: departure.toISOString(),
      start_date: departure.toISOString(),
    });
    expect(ticket.status, JSON.stringify(ticket.body)).toBe(200);
    const check = {
      station_id: "SPB",
      train_number: trainNumber,
      wagon_number: 3,
      date: departure.toISOString(),
      face: cameraFrame.toString("base64"),
      mark_as_used: true,
    };
    const first = await call("POST", `${BASE}/robot/ticket_validation`, robot.token, check);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ id: ticket.body.id, user_id: passengerId, place_number: 17 });
    const again = await call("POST", `${BASE}/robot/ticket_validation`, robot.token, check);
    expect(again.status).toBe(400);
    expect(again.body.detail).toMatchObject({
      message: "Ticket already used",
      right_ticket: { id: ticket.body.id },
    });
  });

  it("sells from an on-train shop and follows the order to delivery", async () => {
    const store = await call("POST", `${STORE}/admin/store`, admin, {
      name: `E2E kiosk ${randomUUID().slice(0, 8)}`,
      description: "Snacks and souvenirs",
      logo_url: "kiosk.png",
      store_type: "SHOP",
    });
    expect(store.status, JSON.stringify(store.body)).toBe(200);
    storeId = store.body.id as string;
    const bind = await call("POST", `${BASE}/admin/store/${storeId}/train`, admin, {
      train_number: trainNumber,
      train_date: departure.toISOString(),
    });
    expect(bind.status, JSON.stringify(bind.body)).toBe(200);

    const terminal = await enrolAndLogin("store", { store_id: storeId });
    const item = await call("POST", `${STORE}/store/item`, terminal.token, {
      name: "Tea",
      description: "Black tea in a glass holder",
      logo_url: "tea.jpg",
      balance: 2,
      price_penny: 15000,
      category: "food",
    });
    expect(item.status, JSON.stringify(item.body)).toBe(200);

    const onBoard = await call(
      "GET",
      `${BASE}/robot/train/${trainNumber}/stores?train_date=${encodeURIComponent(departure.toISOString())}`,
      robot.token,
    );
    expect(onBoard.status).toBe(200);
    expect(onBoard.body).toMatchObject({ run_id: runId, train_number: trainNumber });
    expect(onBoard.body.items).toContain(storeId);

    const order = {
      user_id: passengerId,
      items: [{ item_id: item.body.id, count: 2 }],
      is_default_ready: false,
      train_number: trainNumber,
    };
    const bought = await call("POST", `${STORE}/robot/store/${storeId}/make_purchase`, robot.token, order);
    expect(bought.status, JSON.stringify(bought.body)).toBe(200);
    expect(bought.body.total_penny).toBe(30000);
    const soldOut = await call("POST", `${STORE}/robot/store/${storeId}/make_purchase`, robot.token, order);
    expect(soldOut.status).toBe(400);
    expect(soldOut.body).toEqual({ detail: "Not enough items" });

    const pending = await call("GET", `${STORE}/store/tasks`, terminal.token);
    const task = (pending.body.items as { id: string; purchase: { id: string } }[]).find(
      (t) => t.purchase.id === bought.body.id,
    );
    expect(task).toBeDefined();
    expect((await call("PUT", `${STORE}/store/task/${task!.id}/ready`, terminal.token)).status).toBe(200);
    const ready = await call("GET", `${STORE}/robot/tasks/ready?train_number=${trainNumber}`, robot.token);
    expect(ready.body.items.map((t: { id: string }) => t.id)).toContain(task!.id);
    expect((await call("PUT", `${STORE}/robot/task/${task!.id}/delivered`, robot.token)).status).toBe(200);
  });
});
