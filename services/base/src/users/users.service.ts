import { HttpError, conflict, notFound, paginate } from "@rail/common";
import type { Page, PageQuery } from "@rail/common";
import type { FaceGateway } from "../face/face.gateway.js";
import type { PassengerIdentifier } from "../tickets/tickets.service.js";
import type { UserRow, UsersRepository } from "./users.repository.js";
import type { UserDto } from "./users.schemas.js";

const toDto = (u: UserRow): UserDto => ({ id: u.id, name: u.name });

/** Who holds a ticket on a train run (the tickets feature). */
export interface RunManifests {
  passengersOnRun(trainNumber: number, trainDate: Date): Promise<string[]>;
}

/** Passengers (admin and robot views) and their faces in the face service. */
export class UsersService implements PassengerIdentifier {
  constructor(
    private readonly users: UsersRepository,
    private readonly faces: FaceGateway,
    private readonly manifests: RunManifests | null = null,
  ) {}

  /**
   * `POST /robot/identification`: everyone enrolled (reference), or, when the robot names its current run, only the
   * passengers holding a ticket on it (a stranger can then only be refused, never taken for a passenger).
   */
  async identifyOnRun(image: string, run?: { trainNumber: number; trainDate: Date }): Promise<UserDto> {
    if (!run || !this.manifests) return this.identify(image);
    return this.identify(
      image,
      "User not found",
      await this.manifests.passengersOnRun(run.trainNumber, run.trainDate),
    );
  }

  /**
   * Identifies a passenger by face (reference 3.2.1): unknown person → 404 `notFoundDetail`, no usable face →
   * 422 "Can`t recognize face" (backtick as in the reference), face service down → 503.
   * With `among`, only those users are candidates (1:few, threshold + margin in the face service).
   */
  async identify(image: string, notFoundDetail = "User not found", among?: string[]): Promise<UserDto> {
    // `among` (a run's manifest) limits the comparison to those passengers: a stranger can only be refused.
    const result = among ? await this.faces.searchAmong(image, among) : await this.faces.search(image);
    if (!result.found && result.reason === "unrecognisable") throw new HttpError(422, "Can`t recognize face");
    const user = result.found ? await this.users.findById(result.userId) : null;
    if (!user) throw notFound(notFoundDetail);
    return toDto(user);
  }

  async get(id: string): Promise<UserDto> {
    const user = await this.users.findById(id);
    if (!user) throw notFound("User not found");
    return toDto(user);
  }

  /**
   * Creates a user, optionally enrolling a face. The user row is written first so the face is stored under a real
   * id; if enrolment fails the row is removed again, so a failure leaves nothing behind (the reference left
   * orphans).
   */
  async create(name: string, face: string | null): Promise<UserDto> {
    const user = await this.users.createIfNameFree(name);
    if (!user) throw conflict("User already exists");
    if (face !== null) {
      try {
        await this.faces.enrol(user.id, face);
      } catch (err) {
        await this.users.delete(user.id);
        // A timeout or 5xx may hide an enrolment that did happen: remove it, or it would block this face later.
        if (err instanceof HttpError && err.status >= 500)
          await this.faces.remove(user.id).catch(() => undefined);
        throw err;
      }
    }
    return toDto(user);
  }

  async setFace(userId: string, face: string): Promise<void> {
    await this.get(userId);
    await this.faces.enrol(userId, face);
  }

  async removeFace(userId: string): Promise<void> {
    await this.get(userId);
    await this.faces.remove(userId);
  }

  /** `page.q`: part of the name, any case. */
  list(page: PageQuery & { q?: string }): Promise<Page<UserDto>> {
    const name = page.q || undefined;
    return paginate(
      page,
      () => this.users.count(name),
      (w) => this.users.list(w, name),
      toDto,
    );
  }

  /**
   * Deletes the face first (idempotent), then the user with their tickets and links. A face service failure stops
   * before the database is touched; a retry after a later failure simply repeats both steps.
   */
  async delete(userId: string): Promise<void> {
    await this.get(userId);
    await this.faces.remove(userId);
    if (!(await this.users.delete(userId))) throw notFound("User not found");
  }
}
