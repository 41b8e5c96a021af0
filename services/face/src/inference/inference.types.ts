/** Messages between the inference pool (main thread) and its workers. Plain data only: they cross threads. */

export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface DetectedFace {
  box: FaceBox;
  /** Detector confidence in 0..1. */
  score: number;
  /**
   * 68 landmark points (face-api's iBUG 68 layout), in the coordinates of the analysed pixels. Empty for all but
   * the largest face when descriptors are requested for the largest face only.
   */
  landmarks: Point[];
  /** 128-d face descriptor, L2-normalised; absent when descriptors were not requested. */
  descriptor?: number[];
  /**
   * Benchmarks only (`AnalyzeRequest.variants`): the descriptor under every alignment x mirror combination, so
   * one pass over a dataset compares them all. Keys: `box`, `box+mirror`, `rotated`, `rotated+mirror`.
   */
  variants?: Record<string, number[]>;
}

/**
 * How the face is cut out for the recognition net. `box`: face-api's dlib-style box from the eye and mouth
 * landmarks, axis-aligned (a tilted head stays tilted in the crop). `rotated`: the same box turned with the
 * eye line, so the net always sees the eyes level, as dlib's own face chips are made. `mirror`: the descriptor
 * is the mean of the crop's and its horizontal mirror image's (test-time augmentation).
 */
export interface DescriptorSettings {
  alignment: "box" | "rotated";
  mirror: boolean;
}

export interface AnalyzeRequest {
  id: number;
  /** Tightly packed RGB pixels, 3 bytes per pixel. */
  pixels: Uint8Array;
  width: number;
  height: number;
  /** Which faces get a descriptor: none (detection only), the largest one (search, verify, enrol) or all. */
  descriptors: DescriptorMode;
  detector: DetectorKind;
  /** Benchmarks: also return every descriptor variant (DetectedFace.variants). */
  variants?: boolean;
}

export type DescriptorMode = "none" | "largest" | "all";

/**
 * Face detector: `ssd` (SSD MobileNet v1, fixed 512x512 input, ~200 ms here) or `tiny` (face-api's Tiny Face
 * Detector at `tinyInputSize`, ~40 ms at 416). Both ship in @vladmandic/face-api; see the README's speed section.
 */
export type DetectorKind = "ssd" | "tiny";

export type WorkerMessage =
  | { type: "ready" }
  | { type: "failed"; error: string }
  | { id: number; type: "result"; faces: DetectedFace[] }
  | { id: number; type: "error"; error: string };

export interface WorkerSettings {
  modelDir: string;
  wasmDir: string;
  minConfidence: number;
  maxFaces: number;
  /** Input side of the tiny detector (multiple of 32). */
  tinyInputSize: number;
  descriptor: DescriptorSettings;
}
