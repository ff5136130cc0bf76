import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parseAllDocuments} from 'yaml';
import {afterAll, describe, expect, it} from 'vitest';
import type {K8sObject} from '../../src/manifest/index.js';
import {schemaValidator} from '../../src/schema/validator.js';
import {runCli} from '../helpers/cli.js';
import {expectValid} from '../manifest/upstream-schema.js';

// Runs the built CLI (dist/): `npm run build` first. The README's main command is `plan` with no flags; this runs it
// on a small model with a short profiling budget so the suite stays quick.

const scratch = mkdtempSync(join(tmpdir(), 'dynamo-plan-plan-'));
afterAll(() => rmSync(scratch, {recursive: true, force: true}));

function expectSchemaValid(schema: string, value: unknown): void {
  const validate = schemaValidator(schema);
  expect(validate(value) ? [] : validate.errors).toEqual([]);
}

describe('dynamo-plan plan', {timeout: 240_000}, () => {
  const out = join(scratch, 'out');
  const model = ['--model', 'Qwen/Qwen3-0.6B', '--gpu', 'h100_sxm', '--budget-s', '20', '--out', out];

  it('profiles the simulator, sizes for the default SLA, checks it by simulation, writes the DGDR and prints the answer', async () => {
    const result = await runCli(['plan', ...model, '--json']);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as {profiles: {reused: boolean; dirs: string[]}; sizing: {total_gpus: number; workload: {request_rate: number}; validation: {meets_sla: boolean}}; files: {dgdr: string; sizing: string; reports: string[]}};
    expectSchemaValid('output/plan.schema.json', output);
    expect(output.profiles).toMatchObject({reused: false, dirs: [out]});
    expect(output.sizing.workload.request_rate).toBe(10);
    expect(output.sizing.validation.meets_sla).toBe(true);
    const objects = parseAllDocuments(readFileSync(output.files.dgdr, 'utf8')).map((document) => document.toJS() as K8sObject);
    expect(objects.map((object) => object.kind)).toEqual(['DynamoGraphDeploymentRequest']);
    expectValid(objects[0]!);
    expect((objects[0] as unknown as {spec: {hardware: {totalGpus: number}; sla: object}}).spec).toMatchObject({hardware: {totalGpus: output.sizing.total_gpus}, sla: {ttft: 200, itl: 20}});
    expectSchemaValid('output/size.schema.json', JSON.parse(readFileSync(output.files.sizing, 'utf8')));
    expect(readFileSync(output.files.reports[0]!, 'utf8')).toMatch(/<html/i);
  });

  it('run again with another SLA, it reuses the profile and says so in the text output', async () => {
    const result = await runCli(['plan', ...model, '--itl', '10', '--request-rate', '30']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Reused the profile in .* \(pass --force to profile again\)\./);
    expect(result.stdout).toMatch(/GPUs for TTFT 200 ms, ITL 10\.0 ms at p90; 30\.00 req\/s/);
    expect(result.stdout).toMatch(/Validation: .* The SLA holds at p90\./s);
    expect(result.stdout).toContain(`${join(out, 'dgdr.yaml')} (kubectl apply -f it)`);
  });
});
