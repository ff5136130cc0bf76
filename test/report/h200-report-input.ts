// A realistic report input: the real Dynamo profile (Llama-3.1-8B FP8, one H200) imported as our artifact, with the
// engine facts Dynamo's files do not carry filled in, and fitted as the profiler would.
import {fitItl, fitTtft} from '../../src/fit/index.js';
import {loadProfile, profilePoints} from '../../src/profile/artifact.js';
import {importDynamoProfile} from '../../src/profile/import-dynamo.js';
import type {ProfileReportInput} from '../../src/report/index.js';
import {H200_MAX_NUM_SEQS} from '../fit/h200-profile.js';
import {dynamoFixtureDir, freshDir} from '../profile/fixture.js';

export function h200ReportInput(): {dir: string; input: ProfileReportInput} {
  const dir = freshDir();
  importDynamoProfile({sources: [dynamoFixtureDir], outDir: dir, model: 'nvidia/Llama-3.1-8B-Instruct-FP8', accelerator: 'h200_sxm', tp: 1, gpusPerEngine: 1});
  const imported = loadProfile(dir);
  const profile = {...imported, engine: {...imported.engine, maxNumSeqs: H200_MAX_NUM_SEQS}};
  const points = profilePoints(dir, profile);
  return {
    dir,
    input: {
      profile,
      prefillModel: fitTtft(points.prefill).model,
      decodeModel: fitItl(points.decode, {maxNumSeqs: H200_MAX_NUM_SEQS}).model,
      extra: {pointsSpent: 58, engineTimeS: 1260, wallTimeS: 1495},
    },
  };
}
