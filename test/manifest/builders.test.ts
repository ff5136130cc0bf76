import {readFileSync} from 'node:fs';
import {parseAllDocuments} from 'yaml';
import {beforeAll, describe, expect, it} from 'vitest';
import {DynamoPlanError, ExitCode} from '../../src/errors/errors.js';
import {buildDgd, buildDgdr, buildManifests, buildProfileConfigMap, type K8sObject, type ManifestApiVersion, manifestSchemaName, plannerProfileData, renderManifests} from '../../src/manifest/index.js';
import {importDynamoProfile} from '../../src/profile/import-dynamo.js';
import {loadProfile, profilePoints} from '../../src/profile/artifact.js';
import {packagePath} from '../../src/util/paths.js';
import {freshDir} from '../profile/fixture.js';
import {dynamoFixtureDir} from '../profile/fixture.js';
import {expectValid} from './upstream-schema.js';
import {aggInput, disaggInput, plannerSettings, realProfile} from './fixture.js';

type Json = Record<string, any>;

// Compiling the CRD schemas takes a while (once per process, in ajv); do it before the timed tests.
const COMPILE_TIMEOUT_MS = 120_000;
beforeAll(() => {
  for (const apiVersion of ['v1beta1', 'v1alpha1'] as const) {
    for (const object of [...buildManifests(disaggInput({profile: realProfile}), {apiVersion, withProfileConfigMap: true}), buildDgd(disaggInput(), apiVersion)]) expectValid(object);
  }
}, COMPILE_TIMEOUT_MS);

const components = (dgd: Json) => dgd.spec.components as Json[];
const container = (component: Json) => component.podTemplate.spec.containers[0] as Json;

describe('manifests for a sized deployment', () => {
  it('disagg v1beta1 DGDR: model, hardware, workload, SLA, autoApply, and the sized DGD in overrides.dgd', () => {
    const dgdr = buildDgdr(disaggInput(), {apiVersion: 'v1beta1'}) as Json;
    expectValid(dgdr as K8sObject);
    expect(dgdr.metadata).toEqual({name: 'llama-8b', namespace: 'serving'});
    expect(dgdr.spec).toMatchObject({
      model: 'nvidia/Llama-3.1-8B-Instruct-FP8',
      backend: 'vllm',
      image: 'nvcr.io/nvidia/ai-dynamo/dynamo-planner:1.4.0',
      hardware: {gpuSku: 'h200_sxm', numGpusPerNode: 8, totalGpus: 7},
      workload: {isl: 4000, osl: 1000, requestRate: 10},
      sla: {ttft: 500, itl: 30},
      autoApply: true,
    });
    expect(dgdr.spec.features).toBeUndefined();
    const dgd = dgdr.spec.overrides.dgd;
    expect(dgd).toMatchObject({apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeployment', metadata: {name: 'llama-8b'}, spec: {backendFramework: 'vllm'}});
    expect(dgd.metadata.namespace).toBeUndefined();
    expect(components(dgd).map((c) => [c.name, c.type, c.replicas])).toEqual([['Frontend', 'frontend', 1], ['VllmPrefillWorker', 'prefill', 3], ['VllmDecodeWorker', 'decode', 2]]);
    const [frontend, prefill, decode] = components(dgd);
    expect(container(frontend!).resources).toBeUndefined();
    expect(container(prefill!).resources).toEqual({limits: {'nvidia.com/gpu': '1'}});
    expect(container(decode!).resources).toEqual({limits: {'nvidia.com/gpu': '2'}});
    expect(container(prefill!).args).toEqual(['--model', 'nvidia/Llama-3.1-8B-Instruct-FP8', '--tensor-parallel-size', '1', '--disaggregation-mode', 'prefill', '--kv-transfer-config', '{"kv_connector":"NixlConnector","kv_role":"kv_both"}', '--max-num-batched-tokens', '8192']);
    expect(container(decode!).args).toEqual(['--model', 'nvidia/Llama-3.1-8B-Instruct-FP8', '--tensor-parallel-size', '2', '--disaggregation-mode', 'decode', '--max-num-seqs', '256']);
    expect(container(decode!)).toMatchObject({name: 'main', image: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.4.0', command: ['python3', '-m', 'dynamo.vllm'], envFrom: [{secretRef: {name: 'hf-token-secret'}}]});
    expect(decode!.multinode).toBeUndefined();
    expect(decode!.scalingAdapter).toBeUndefined();
  });

  it('agg v1beta1: one aggregated worker under Dynamo\'s name, concurrency workload', () => {
    const dgdr = buildDgdr(aggInput(), {apiVersion: 'v1beta1'}) as Json;
    expectValid(dgdr as K8sObject);
    expect(dgdr.spec.workload).toEqual({isl: 2048, osl: 256, concurrency: 64});
    const dgd = dgdr.spec.overrides.dgd;
    expect(components(dgd).map((c) => [c.name, c.type, c.replicas])).toEqual([['Frontend', 'frontend', 1], ['VllmDecodeWorker', 'worker', 4]]);
    expect(container(components(dgd)[1]!).args).toEqual(['--model', 'nvidia/Llama-3.1-8B-Instruct-FP8', '--tensor-parallel-size', '1', '--max-num-seqs', '128', '--max-num-batched-tokens', '4096']);
  });

  it('an engine larger than a node becomes multinode with an even share of GPUs per node; pp and dp become flags', () => {
    const input = disaggInput({workers: [{role: 'prefill', tp: 4, gpusPerEngine: 4, replicas: 1}, {role: 'decode', tp: 8, pp: 2, gpusPerEngine: 16, replicas: 1}]});
    const dgd = buildDgd(input, 'v1beta1') as Json;
    expectValid(dgd as K8sObject);
    const decode = components(dgd)[2]!;
    expect(decode.multinode).toEqual({nodeCount: 2});
    expect(container(decode).resources.limits['nvidia.com/gpu']).toBe('8');
    expect(container(decode).args).toEqual(expect.arrayContaining(['--tensor-parallel-size', '8', '--pipeline-parallel-size', '2']));
    const alpha = buildDgd(input, 'v1alpha1') as Json;
    expect(alpha.spec.services.VllmDecodeWorker).toMatchObject({multinode: {nodeCount: 2}, resources: {limits: {gpu: '8'}}});
    const uneven = thrown(() => buildDgd(disaggInput({gpusPerNode: 8, workers: [{role: 'prefill', tp: 1, gpusPerEngine: 1, replicas: 1}, {role: 'decode', tp: 9, gpusPerEngine: 9, replicas: 1}]}), 'v1beta1'));
    expect(uneven.message).toMatch(/9 GPUs per engine cannot be spread evenly over 2 nodes/);
  });

  it('with the planner: features.planner, a Planner component with the same config, scaling adapters on the workers', () => {
    const input = disaggInput({planner: plannerSettings});
    const dgdr = buildDgdr(input, {apiVersion: 'v1beta1'}) as Json;
    expectValid(dgdr as K8sObject);
    const expected = {mode: 'disagg', backend: 'vllm', optimization_target: 'sla', ttft_ms: 500, itl_ms: 30, min_endpoint: 1, max_gpu_budget: 16, prefill_engine_num_gpu: 1, decode_engine_num_gpu: 2};
    expect(dgdr.spec.features).toEqual({planner: expected});
    const planner = components(dgdr.spec.overrides.dgd)[3]!;
    expect(planner).toMatchObject({name: 'Planner', type: 'planner', replicas: 1});
    expect(container(planner).command).toEqual(['python3', '-m', 'dynamo.planner']);
    expect(container(planner).image).toBe('nvcr.io/nvidia/ai-dynamo/dynamo-planner:1.4.0');
    expect(JSON.parse(container(planner).args[1])).toEqual(expected);
    expect(components(dgdr.spec.overrides.dgd).map((c) => c.scalingAdapter)).toEqual([undefined, {}, {}, undefined]);
  });

  it('with the profile ConfigMap: Dynamo\'s planner-profile-data files, mounted where the planner reads them', () => {
    const input = disaggInput({planner: plannerSettings, profile: realProfile});
    const [configMap, dgdr] = buildManifests(input, {apiVersion: 'v1beta1', withProfileConfigMap: true}) as Json[];
    expectValid(configMap as K8sObject);
    expectValid(dgdr as K8sObject);
    expect(configMap).toMatchObject({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'llama-8b-planner-profile-data', namespace: 'serving'}});
    expect(Object.keys(configMap!.data)).toEqual(['prefill_raw_data.json', 'decode_raw_data.json']);
    expect(JSON.parse(configMap!.data['prefill_raw_data.json'])).toEqual(realProfile.prefill);
    expect(JSON.parse(configMap!.data['decode_raw_data.json'])).toEqual(realProfile.decode);
    const planner = components(dgdr!.spec.overrides.dgd)[3]!;
    expect(planner.podTemplate.spec.volumes).toEqual([{name: 'planner-profile-data', configMap: {name: 'llama-8b-planner-profile-data'}}]);
    expect(container(planner).volumeMounts).toEqual([{name: 'planner-profile-data', mountPath: '/workspace/profiling_results', readOnly: true}]);
    expect(JSON.parse(container(planner).args[1]).profile_results_dir).toBe('/workspace/profiling_results');
    expect(dgdr!.spec.features.planner.profile_results_dir).toBe('/workspace/profiling_results');
    expect(thrown(() => buildProfileConfigMap(disaggInput())).code).toBe('E_MANIFEST_PROFILE');
  });

  it('the ConfigMap data is the same as the profile export: plannerProfileData reuses dynamoFromPoints', () => {
    const dir = freshDir();
    importDynamoProfile({sources: [dynamoFixtureDir], outDir: dir});
    const profile = loadProfile(dir);
    const data = plannerProfileData([{role: 'agg', points: profilePoints(dir, profile), engine: profile.engine}]);
    expect(data.prefill!.prefill_isl).toEqual(realProfile.prefill.prefill_isl);
    expect(data.decode!.max_kv_tokens).toBe(realProfile.decode.max_kv_tokens);
    expect(data.decode!.z_itl).toEqual(realProfile.decode.z_itl);
    const decodeOnly = plannerProfileData([{role: 'decode', points: {prefill: [], decode: profilePoints(dir, profile).decode}, engine: profile.engine}]);
    expect(Object.keys(decodeOnly)).toEqual(['decode']);
  });

  it('--dgd-only: the DGD alone, in the request\'s namespace; v1alpha1 keys services by name', () => {
    const [beta] = buildManifests(disaggInput(), {apiVersion: 'v1beta1', dgdOnly: true}) as Json[];
    expectValid(beta as K8sObject);
    expect(beta).toMatchObject({apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeployment', metadata: {name: 'llama-8b', namespace: 'serving'}});
    const alpha = buildDgd(disaggInput({planner: plannerSettings, profile: realProfile}), 'v1alpha1', {withProfileConfigMap: true}) as Json;
    expectValid(alpha as K8sObject);
    expect(Object.keys(alpha.spec.services)).toEqual(['Frontend', 'VllmPrefillWorker', 'VllmDecodeWorker', 'Planner']);
    expect(alpha.spec.services.VllmPrefillWorker).toMatchObject({componentType: 'worker', subComponentType: 'prefill', replicas: 3, resources: {limits: {gpu: '1'}}, envFromSecret: 'hf-token-secret', scalingAdapter: {enabled: true}});
    expect(alpha.spec.services.VllmDecodeWorker.extraPodSpec.mainContainer.args).toContain('--max-num-seqs');
    expect(alpha.spec.services.Planner.extraPodSpec.volumes).toEqual([{name: 'planner-profile-data', configMap: {name: 'llama-8b-planner-profile-data'}}]);
  });

  it('v1alpha1 DGDR: the legacy shape, profilingConfig with the SLA and our engine sizes, deploymentOverrides', () => {
    const dgdr = buildDgdr(disaggInput({planner: plannerSettings}), {apiVersion: 'v1alpha1'}) as Json;
    expectValid(dgdr as K8sObject);
    expect(dgdr.apiVersion).toBe('nvidia.com/v1alpha1');
    expect(dgdr.spec.profilingConfig.profilerImage).toBe('nvcr.io/nvidia/ai-dynamo/dynamo-planner:1.4.0');
    expect(dgdr.spec.profilingConfig.config).toMatchObject({hardware: {gpu_type: 'h200_sxm', num_gpus_per_node: 8, min_num_gpus_per_engine: 1, max_num_gpus_per_engine: 2}, sla: {isl: 4000, osl: 1000, ttft: 500, itl: 30}, planner: {optimization_target: 'sla'}});
    expect(dgdr.spec.deploymentOverrides).toEqual({name: 'llama-8b', namespace: 'serving', workersImage: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.4.0'});
    expect(dgdr.spec.overrides).toBeUndefined();
  });
});

describe('rendering', () => {
  const sets: [string, () => K8sObject[]][] = (['v1beta1', 'v1alpha1'] as ManifestApiVersion[]).flatMap((apiVersion) => [
    [`${apiVersion} disagg + planner + configmap`, () => buildManifests(disaggInput({planner: plannerSettings, profile: realProfile}), {apiVersion, withProfileConfigMap: true})],
    [`${apiVersion} agg dgd-only`, () => buildManifests(aggInput(), {apiVersion, dgdOnly: true})],
  ]);

  it.each(sets)('%s: byte-identical twice, and the YAML parses back to the same objects', (_label, build) => {
    const first = renderManifests(build());
    expect(renderManifests(build())).toBe(first);
    const parsed = parseAllDocuments(first).map((document) => document.toJS() as unknown);
    expect(parsed).toEqual(build());
    expect(first.startsWith('---\napiVersion: ')).toBe(true);
  });

  it('quotes strings YAML 1.1 readers would take for numbers or booleans, and never folds long strings', () => {
    const text = renderManifests([buildDgd(disaggInput({planner: plannerSettings, hfTokenSecret: 'on'}), 'v1beta1')]);
    expect(text).toContain('- "1"\n');
    expect(text).toContain('nvidia.com/gpu: "2"');
    expect(text).toContain('name: "on"');
    expect(text).toMatch(/- '\{"mode":"disagg",.*"decode_engine_num_gpu":2\}'\n/);
  });

  it('refuses to render an object its schema rejects', () => {
    const dgd = buildDgd(aggInput(), 'v1beta1') as Json;
    dgd.spec.components[1].replica = 2;
    expect(thrown(() => renderManifests([dgd as K8sObject])).code).toBe('E_MANIFEST_SCHEMA');
  });
});

describe('broken inputs give clear errors (bad input, exit 3) naming the object and path', () => {
  it('a misspelt field is rejected as one the API server would prune', () => {
    const dgd = buildDgd(disaggInput(), 'v1beta1') as Json;
    dgd.spec.components[2].podTemplate.spec.containers[0].resource = {limits: {}};
    const error = thrown(() => renderManifests([dgd as K8sObject]));
    expect(error.exitCode).toBe(ExitCode.badInput);
    expect(error.message).toBe('DynamoGraphDeployment llama-8b: /spec/components/2/podTemplate/spec/containers/0 has no field "resource": the API server would drop it.');
    expect(error.hint).toMatch(/Check the spelling of "resource"/);
    const dgdr = buildDgdr(disaggInput(), {apiVersion: 'v1beta1'}) as Json;
    dgdr.spec.overrides.dgd.spec.components[0].replicaz = 1;
    expect(thrown(() => renderManifests([dgdr as K8sObject])).message).toMatch(/^DynamoGraphDeployment llama-8b: \/spec\/overrides\/dgd\/spec\/components\/0 has no field "replicaz"/);
    dgdr.spec.overrides.dgd.spec.components[0].replicaz = undefined;
    delete dgdr.spec.overrides.dgd.spec.components[0].replicaz;
    dgdr.spec.sla.tftt = 5;
    expect(thrown(() => renderManifests([dgdr as K8sObject])).message).toMatch(/\/spec\/sla has no field "tftt"/);
  });

  it('a 46-character name, and a name too long for its component names (DGD + component <= 45)', () => {
    const long = thrown(() => buildDgdr(aggInput({name: 'a'.repeat(46)}), {apiVersion: 'v1beta1'}));
    expect(long.code).toBe('E_MANIFEST_NAME');
    expect(long.message).toMatch(/\/spec\/overrides\/dgd\/metadata\/name "a{46}" plus its longest component name \(16 characters\) is 62 characters; Dynamo allows at most 45/);
    expect(long.hint).toBe('Shorten --name to at most 29 characters.');
    const disagg = thrown(() => buildDgd(disaggInput({name: 'a'.repeat(29)}), 'v1beta1'));
    expect(disagg.hint).toBe('Shorten --name to at most 28 characters.');
    expect(() => buildDgd(disaggInput({name: 'a'.repeat(28)}), 'v1beta1')).not.toThrow();
    expect(thrown(() => buildDgd(disaggInput({name: 'a'.repeat(64)}), 'v1alpha1')).message).toMatch(/is 64 characters; Kubernetes allows at most 63/);
    const upper = thrown(() => buildDgdr(aggInput({name: 'Llama_8B'}), {apiVersion: 'v1beta1'}));
    expect(upper.message).toMatch(/DynamoGraphDeploymentRequest Llama_8B: \/metadata\/name "Llama_8B" is not a DNS-1123 label/);
    expect(upper.hint).toBe('Use --name llama-8b.');
  });

  it('fractional GPUs, from the sizing input or in an object', () => {
    const fromInput = thrown(() => buildDgdr(disaggInput({workers: [{role: 'prefill', tp: 1, gpusPerEngine: 1.5, replicas: 1}, {role: 'decode', tp: 1, gpusPerEngine: 1, replicas: 1}]}), {apiVersion: 'v1beta1'}));
    expect(fromInput.code).toBe('E_MANIFEST_GPUS');
    expect(fromInput.message).toMatch(/The prefill worker: gpusPerEngine is 1\.5; GPU counts must be whole and positive/);
    const dgd = buildDgd(disaggInput(), 'v1beta1') as Json;
    container(components(dgd)[1]!).resources.limits['nvidia.com/gpu'] = '0.5';
    const fromObject = thrown(() => renderManifests([dgd as K8sObject]));
    expect(fromObject.message).toBe('DynamoGraphDeployment llama-8b: /spec/components/1/podTemplate/spec/containers/0/resources/limits/nvidia.com~1gpu asks for "0.5" GPUs; a GPU count must be a whole number of at least 1.');
    const alpha = buildDgd(disaggInput(), 'v1alpha1') as Json;
    alpha.spec.services.VllmDecodeWorker.resources.limits.gpu = '2.5';
    expect(thrown(() => renderManifests([alpha as K8sObject])).message).toMatch(/\/spec\/services\/VllmDecodeWorker\/resources\/limits\/gpu asks for "2.5" GPUs/);
    expect(thrown(() => buildDgd(disaggInput({workers: [{role: 'prefill', tp: 1, gpusPerEngine: 1, replicas: 1.5}, {role: 'decode', tp: 1, gpusPerEngine: 1, replicas: 1}]}), 'v1beta1')).code).toBe('E_MANIFEST_REPLICAS');
    expect(thrown(() => buildDgd(disaggInput({workers: [{role: 'prefill', tp: 2, gpusPerEngine: 4, replicas: 1}, {role: 'decode', tp: 1, gpusPerEngine: 1, replicas: 1}]}), 'v1beta1')).message).toMatch(/tp x pp x dp = 2, but gpusPerEngine is 4/);
  });

  it('a bad namespace, an unknown GPU SKU, workers that do not match the mode, an impossible planner budget', () => {
    const namespace = thrown(() => buildDgdr(disaggInput({namespace: 'Team.Serving'}), {apiVersion: 'v1beta1'}));
    expect(namespace.message).toMatch(/\/metadata\/namespace "Team.Serving" is not a DNS-1123 label/);
    expect(namespace.hint).toBe('Use --namespace team-serving.');
    const sku = thrown(() => buildDgdr(disaggInput({gpuSku: 'h300'}), {apiVersion: 'v1beta1'}));
    expect(sku.code).toBe('E_MANIFEST_SCHEMA');
    expect(sku.message).toMatch(/DynamoGraphDeploymentRequest llama-8b: \/spec\/hardware\/gpuSku must be one of gb200_sxm, gb10, .*h200_sxm/);
    expect(thrown(() => buildDgdr(aggInput({mode: 'disagg'}), {apiVersion: 'v1beta1'})).message).toBe('A disagg deployment needs exactly one prefill and one decode worker; got agg.');
    const budget = thrown(() => buildDgdr(disaggInput({planner: {...plannerSettings, max_gpu_budget: 4}}), {apiVersion: 'v1beta1'}));
    expect(budget.message).toBe('Planner max_gpu_budget is 4, but the sized deployment starts with 7 GPUs.');
    for (const error of [namespace, sku, budget]) expect((error as DynamoPlanError).exitCode).toBe(ExitCode.badInput);
  });
});

function thrown(run: () => unknown): DynamoPlanError {
  try {
    run();
  } catch (error) {
    if (error instanceof DynamoPlanError) return error;
    throw error;
  }
  throw new Error('expected an error, but none was thrown');
}
