// The engine cost model: catalogs, engine resolution, KV capacity and the step-time model.

export type {AcceleratorEntry, EfficiencyParameters, GpuGeneration, ModelEntry} from './catalog-types.js';
export {findAccelerator, findModel, loadCatalog, type Catalog} from './catalog.js';
export {DEFAULT_DEPLOYMENT, DEPLOYMENT_PRESETS, type DeploymentOptions, type DeploymentPreset, type DeploymentPresetName} from './deployments.js';
export {resolveEngineSpec, type EngineSpec, type EngineSpecOptions, type KvCacheDtypeOption} from './engine-spec.js';
export {BLOCK_SIZE, kvCapacity, type KvCapacity, type KvCapacityInput} from './kv-capacity.js';
export {createStepCostModel, RooflineStepCost, type StepCostInput} from './roofline.js';
export {TP_CANDIDATES} from './tensor-parallel.js';
export {
  calibrate,
  calibrationMarkdown,
  DYNAMO_PROFILE_SETUP,
  type CalibrationPoint,
  type CalibrationReport,
  type DecodeProfile,
  type PrefillProfile,
  type ProfileSetup,
} from './calibration.js';
