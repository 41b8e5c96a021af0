// Moved to @rail/common (one helper for every service); kept until purchases.repository.ts imports it from there.
export { isContentionFailure, isForeignKeyViolation, isUniqueViolation } from "@rail/common";
