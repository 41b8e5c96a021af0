import type { Fixtures } from "../fixtures.js";
import type { LoadSettings } from "../load.js";
import type { Report, RunSettings } from "../report-types.js";

export async function faceScenarios(
  _fx: Fixtures,
  _run: RunSettings,
  _settings: LoadSettings,
  _report: Report,
) {
  // filled in with the face service's bench set-up
}
