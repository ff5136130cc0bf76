import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parseAllDocuments} from 'yaml';
import {afterAll, describe, expect, it} from 'vitest';
import type {K8sObject} from '../../src/manifest/index.js';
import {schemaValidator} from '../../src/schema/validator.js';
import {runCli} from '../helpers/cli.js';
import {expectValid} from './upstream-schema.js';

// Runs the built CLI (dist/): `npm run build` first.

type Json = Record<string, any>;
const scratch = mkdtempSync(join(tmpdir(), 'dynamo-plan-dgdr-'));
afterAll(() => rmSync(scratch, {recursive: true, force: true}));

function documents(yaml: string): K8sObject[] {
  return parseAllDocuments(yaml).map((document) => document.toJS() as K8sObject);
}

describe('dynamo-plan dgdr', {timeout: 90_000}, () => {
  it('writes a v1beta1 DGDR whose embedded DGD carries the sized workers, valid against the upstream CRDs', async () => {
    const result = await runCli(['dgdr', '--request-rate', '50', '--mode', 'disagg', '--name', 'llama8b', '--namespace', 'llm']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [dgdr] = documents(result.stdout) as Json[];
    expectValid(dgdr as K8sObject);
    expect(dgdr).toMatchObject({apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeploymentRequest', metadata: {name: 'llama8b', namespace: 'llm'}});
    expect(dgdr!.spec).toMatchObject({model: 'nvidia/Llama-3.1-8B-Instruct-FP8', backend: 'vllm', hardware: {gpuSku: 'h200_sxm', totalGpus: 6}, workload: {isl: 3000, osl: 150, requestRate: 50}, sla: {ttft: 200, itl: 20}});
    // The same sizing as `size --request-rate 50 --mode disagg` (test/sizing): 4 prefill + 2 decode engines of one GPU.
    const workers = (dgdr!.spec.overrides.dgd.spec.components as Json[]).filter((component) => component.type !== 'frontend');
    expect(workers.map((worker) => [worker.type, worker.replicas, worker.podTemplate.spec.containers[0].resources.limits['nvidia.com/gpu']])).toEqual(
      expect.arrayContaining([
        ['prefill', 4, '1'],
        ['decode', 2, '1'],
      ]),
    );
  });

  it('-o writes the file atomically; the same inputs give the same bytes; --json carries the sizing', async () => {
    const file = join(scratch, 'dgdr.yaml');
    const args = ['dgdr', '--request-rate', '10', '--planner', '--with-profile-configmap', '--max-gpus', '16', '--min-replicas', '2', '-o', file];
    const first = await runCli([...args, '--json']);
    expect(first.code).toBe(0);
    const output = JSON.parse(first.stdout) as {sizing: {total_gpus: number}; objects: K8sObject[]; yaml: string; file: string};
    const validate = schemaValidator('output/dgdr.schema.json');
    expect(validate(output) ? [] : validate.errors).toEqual([]);
    const written = readFileSync(file, 'utf8');
    expect(written).toBe(output.yaml);
    const objects = documents(written);
    expect(objects.map((object) => object.kind)).toEqual(['ConfigMap', 'DynamoGraphDeploymentRequest']);
    for (const object of objects) expectValid(object);
    const planner = (objects[1] as Json).spec.features.planner;
    expect(planner).toMatchObject({optimization_target: 'sla', ttft_ms: 200, itl_ms: 20, min_endpoint: 2, max_gpu_budget: 16});
    const second = await runCli(args);
    expect(second.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(written);
  });

  it('--dgd-only --api-version v1alpha1 writes the legacy services-map DGD', async () => {
    const result = await runCli(['dgdr', '--request-rate', '5', '--mode', 'agg', '--dgd-only', '--api-version', 'v1alpha1']);
    expect(result.code).toBe(0);
    const [dgd] = documents(result.stdout) as Json[];
    expectValid(dgd as K8sObject);
    expect(dgd).toMatchObject({apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeployment', metadata: {name: 'llama-3-1-8b-instruct-fp8'}});
    expect(Object.keys(dgd!.spec.services as object).length).toBeGreaterThanOrEqual(2);
  });

  it('a name too long for Dynamo (with the agg worker, VllmDecodeWorker, 16 characters) fails before anything is written, saying how long it may be', async () => {
    const file = join(scratch, 'never.yaml');
    const result = await runCli(['dgdr', '--request-rate', '5', '--name', 'a-very-long-deployment-name-for-llama', '-o', file]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/Error: .*45/);
    expect(result.stderr).toMatch(/Hint: Shorten --name to at most 29 characters/);
    expect(() => readFileSync(file)).toThrow();
  });
});
