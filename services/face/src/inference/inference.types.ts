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
  /** 68 landmark points (face-api's iBUG 68 layout), in the coordinates of the analysed pixels. */
  landmarks: Point[];
  /** 128-d face descriptor, L2-normalised; absent when descriptors were not requested. */
  descriptor?: number[];
}

export interface AnalyzeRequest {
  id: number;
  /** Tightly packed RGB pixels, 3 bytes per pixel. */
  pixels: Uint8Array;
  width: number;
  height: number;
  /** Which faces get a descriptor: none (detection only), the largest one (search, verify, enrol) or all. */
  descriptors: DescriptorMode;
}

export type DescriptorMode = "none" | "largest" | "all";

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
}
