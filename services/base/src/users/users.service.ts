import { HttpError, conflict, notFound, paginate } from "@rail/common";
import type { PageQuery } from "@rail/common";
import type { Deps } from "../app.js";
import { FaceGateway } from "../face/face.gateway.js";
import { userRepository } from "./users.repository.js";
import type { UserDto } from "./users.schemas.js";

const toDto = (u: { id: string; name: string }): UserDto => ({ id: u.id, name: u.name });

const faces = (deps: Deps) => new FaceGateway(deps.faceClient);

/**
 * Identifies a passenger by face (reference 3.2.1): unknown person → 404 `notFoundDetail`, no usable face →
 * 422 "Can`t recognize face" (backtick as in the reference), face service down → 503.
 */
export async function identifyUser(
  deps: Deps,
  image: string,
  notFoundDetail = "User not found",
): Promise<UserDto> {
  const result = await faces(deps).search(image);
  if (!result.found && result.reason === "unrecognisable") throw new HttpError(422, "Can`t recognize face");
  const user = result.found ? await userRepository.findById(deps.db, result.userId) : null;
  if (!user) throw notFound(notFoundDetail);
  return toDto(user);
}

export async function getUser(deps: Deps, id: string): Promise<UserDto> {
  const user = await userRepository.findById(deps.db, id);
  if (!user) throw notFound("User not found");
  return toDto(user);
}

/**
 * Creates a user, optionally enrolling a face. The user row is written first so the face is stored under a real id;
 * if enrolment fails the row is removed again, so a failure leaves nothing behind (the reference left orphans).
 */
export async function createUser(deps: Deps, name: string, face: string | null): Promise<UserDto> {
  const user = await userRepository.createIfNameFree(deps.db, name);
  if (!user) throw conflict("User already exists");
  if (face !== null) {
    try {
      await faces(deps).enrol(user.id, face);
    } catch (err) {
      await userRepository.delete(deps.db, user.id);
      // A timeout or 5xx may hide an enrolment that did happen: remove it, or it would block this face later.
      if (err instanceof HttpError && err.status >= 500)
        await faces(deps)
          .remove(user.id)
          .catch(() => undefined);
      throw err;
    }
  }
  return toDto(user);
}

export async function setFace(deps: Deps, userId: string, face: string): Promise<void> {
  await getUser(deps, userId);
  await faces(deps).enrol(userId, face);
}

export async function removeFace(deps: Deps, userId: string): Promise<void> {
  await getUser(deps, userId);
  await faces(deps).remove(userId);
}

export const listUsers = (deps: Deps, page: PageQuery) =>
  paginate(
    page,
    () => userRepository.count(deps.db),
    (w) => userRepository.list(deps.db, w),
    toDto,
  );

/**
 * Deletes the face first (idempotent), then the user with their tickets and links. A face service failure stops
 * before the database is touched; a retry after a later failure simply repeats both steps.
 */
export async function deleteUser(deps: Deps, userId: string): Promise<void> {
  await getUser(deps, userId);
  await faces(deps).remove(userId);
  if (!(await userRepository.delete(deps.db, userId))) throw notFound("User not found");
}
