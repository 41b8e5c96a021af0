// Moved to @rail/common (shared with the base service); kept until purchases.schemas.ts imports it from there.
export { laxInt } from "@rail/common";
