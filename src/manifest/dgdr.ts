import {checkedWorkers, plannerImageOf, PROFILE_MOUNT_PATH, totalGpus} from './components.js';
import {dgdObject} from './dgd.js';
import {plannerConfig} from './planner.js';
import type {K8sObject, ManifestApiVersion, ManifestInput} from './types.js';
import {validateManifest} from './validate.js';

// The DynamoGraphDeploymentRequest: Dynamo profiles and deploys from it. v1beta1 (the storage version) states the
// model, hardware, workload and SLA, and carries our sized graph in overrides.dgd, which Dynamo merges over the
// graph it generates. v1alpha1 (deprecated) has no overrides.dgd: the SLA, the hardware and our engine sizes go into
// the profiler's legacy config, and the workers' image into deploymentOverrides.

export const DGDR_KIND = 'DynamoGraphDeploymentRequest';

/** The request for `input`'s deployment, validated against the CRD of `apiVersion` (and its embedded DGD). */
export function buildDgdr(input: ManifestInput, options: {apiVersion: ManifestApiVersion; withProfileConfigMap?: boolean}): K8sObject {
  const withProfileConfigMap = options.withProfileConfigMap ?? false;
  const dgdr: K8sObject = {
    apiVersion: `nvidia.com/${options.apiVersion}`,
    kind: DGDR_KIND,
    metadata: {name: input.name, ...(input.namespace === undefined ? {} : {namespace: input.namespace})},
    spec: options.apiVersion === 'v1beta1' ? v1beta1Spec(input, withProfileConfigMap) : v1alpha1Spec(input, withProfileConfigMap),
  };
  validateManifest(dgdr);
  return dgdr;
}

function v1beta1Spec(input: ManifestInput, withProfileConfigMap: boolean): Record<string, unknown> {
  const {isl, osl, requestRate, concurrency} = input.workload;
  return {
    model: input.model,
    backend: input.backend,
    image: plannerImageOf(input),
    hardware: {...(input.gpuSku === undefined ? {} : {gpuSku: input.gpuSku}), numGpusPerNode: input.gpusPerNode, totalGpus: totalGpus(input)},
    workload: {isl, osl, ...(requestRate === undefined ? {} : {requestRate}), ...(concurrency === undefined ? {} : {concurrency})},
    sla: {ttft: input.sla.ttftMs, itl: input.sla.itlMs},
    ...(input.planner ? {features: {planner: plannerConfig(input, withProfileConfigMap ? PROFILE_MOUNT_PATH : undefined)}} : {}),
    autoApply: input.autoApply ?? true,
    overrides: {dgd: dgdObject(input, 'v1beta1', {withProfileConfigMap, embedded: true})},
  };
}

function v1alpha1Spec(input: ManifestInput, withProfileConfigMap: boolean): Record<string, unknown> {
  const engineGpus = checkedWorkers(input).map((worker) => worker.gpusPerEngine);
  return {
    model: input.model,
    backend: input.backend,
    profilingConfig: {
      profilerImage: plannerImageOf(input),
      // The legacy profiler's sections (benchmarks/profiler/utils/profiler_argparse.py): search around our engines.
      config: {
        hardware: {
          ...(input.gpuSku === undefined ? {} : {gpu_type: input.gpuSku}),
          num_gpus_per_node: input.gpusPerNode,
          min_num_gpus_per_engine: Math.min(...engineGpus),
          max_num_gpus_per_engine: Math.max(...engineGpus),
        },
        sla: {isl: input.workload.isl, osl: input.workload.osl, ttft: input.sla.ttftMs, itl: input.sla.itlMs},
        ...(input.planner ? {planner: plannerConfig(input, withProfileConfigMap ? PROFILE_MOUNT_PATH : undefined)} : {}),
      },
    },
    deploymentOverrides: {name: input.name, ...(input.namespace === undefined ? {} : {namespace: input.namespace}), workersImage: input.image},
    autoApply: input.autoApply ?? true,
  };
}
