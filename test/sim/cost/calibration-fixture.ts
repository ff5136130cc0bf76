// The calibration setup shared by calibration.test.ts and print-calibration.ts, so the docs table and the test agree.

import {readFileSync} from 'node:fs';
import {
  calibrate,
  createStepCostModel,
  DYNAMO_PROFILE_SETUP,
  resolveEngineSpec,
  type CalibrationReport,
  type DecodeProfile,
  type PrefillProfile,
} from '../../../src/sim/cost/index.js';

/** The Dynamo profile of vLLM serving nvidia/Llama-3.1-8B-Instruct-FP8 on one H200, beside the repository. */
export const H200_PROFILE_DIR = new URL('../../../../shared/reference/dynamo-profile-h200-llama31-8b-fp8/', import.meta.url);

export function h200CalibrationReport(): CalibrationReport {
  const prefill = JSON.parse(readFileSync(new URL('prefill_raw_data.json', H200_PROFILE_DIR), 'utf8')) as PrefillProfile;
  const decode = JSON.parse(readFileSync(new URL('decode_raw_data.json', H200_PROFILE_DIR), 'utf8')) as DecodeProfile;
  const spec = resolveEngineSpec({model: 'nvidia/Llama-3.1-8B-Instruct-FP8', gpu: 'h200_sxm', tp: 1, deployment: {preset: 'dynamo'}});
  return calibrate(spec, createStepCostModel(spec), prefill, decode, DYNAMO_PROFILE_SETUP);
}
