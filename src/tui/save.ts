// Saving what the screen shows: the DGDR through the same path as `dynamo-plan dgdr`, and the sizing as
// `dynamo-plan size --json` writes it. Both are validated before they are written, and written atomically.
import {join} from 'node:path';
import {defaultDeploymentName, manifestsFromSizing} from '../manifest/from-sizing.js';
import {validateWith} from '../schema/validator.js';
import type {SizingResult} from '../sizing/index.js';
import {writeFileAtomic} from '../util/files.js';

export interface SaveTarget {
  /** Directory the files go to (created when missing). */
  outDir: string;
  /** --gpus-per-node, which the DGDR's hardware section carries. */
  gpusPerNode?: number;
}

/** Write `<name>-dgdr.yaml` (a v1beta1 DGDR, name from the model) and return its path. */
export function saveDgdr(sizing: SizingResult, target: SaveTarget): string {
  const {yaml} = manifestsFromSizing(sizing, {apiVersion: 'v1beta1'}, target.gpusPerNode);
  const path = join(target.outDir, `${baseName(sizing)}-dgdr.yaml`);
  writeFileAtomic(path, yaml);
  return path;
}

/** Write `<name>-sizing.json` (schemas/output/size.schema.json) and return its path. */
export function saveSizingJson(sizing: SizingResult, target: SaveTarget): string {
  validateWith('output/size.schema.json', sizing, 'the sizing');
  const path = join(target.outDir, `${baseName(sizing)}-sizing.json`);
  writeFileAtomic(path, `${JSON.stringify(sizing, null, 2)}\n`);
  return path;
}

function baseName(sizing: SizingResult): string {
  return defaultDeploymentName(sizing.roles.find((role) => role.engine.model !== null)?.engine.model ?? 'model');
}
