import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {schemaValidator} from '../../src/schema/validator.js';
import {runCli} from '../helpers/cli.js';
import {H100_70B_TP4, H200_8B_FP8} from './fixtures.js';

// Runs the built CLI (dist/): `npm run build` first.

function expectValid(schema: string, value: unknown): void {
  const validate = schemaValidator(schema);
  expect(validate(value) ? [] : validate.errors).toEqual([]);
}

const scratch = mkdtempSync(join(tmpdir(), 'dynamo-plan-size-'));
afterAll(() => rmSync(scratch, {recursive: true, force: true}));

// Each run starts a Node process (about a second, more on a busy machine).
describe('dynamo-plan size', {timeout: 60_000}, () => {
  it('prints a table that explains the choice, from the shipped profile of the default model', async () => {
    const result = await runCli(['size', '--request-rate', '50', '--mode', 'disagg']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Disaggregated: 6 GPUs for TTFT 200 ms, ITL 20\.0 ms at p90; 50\.00 req\/s, ISL 3000, OSL 150/);
    expect(result.stdout).toMatch(/prefill\s+h200_sxm-tp1\s+4\s+4\s+12\.50 \(15\.76\)\s+-\s+\d+ \(200\)\s+-\s+ttft/);
    expect(result.stdout).toMatch(/decode\s+h200_sxm-tp1\s+2\s+2\s+25\.00 \(41\.80\)/);
    expect(result.stdout).toMatch(/Throughput 7500 output tokens\/s, 1250 per GPU/);
  });

  it('--json validates against its schema, with the comparison of both modes', async () => {
    const result = await runCli(['size', '--profile', H200_8B_FP8, '--request-rate', '50', '--json']);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as {mode: string; total_gpus: number; alternative: {mode: string; total_gpus: number}; roles: {engine: {model: string}}[]};
    expectValid('output/size.schema.json', output);
    expect(output).toMatchObject({mode: 'disagg', total_gpus: 6, alternative: {mode: 'agg', total_gpus: 6}});
    expect(output.roles[0]!.engine.model).toBe('nvidia/Llama-3.1-8B-Instruct-FP8');
  });

  it('an SLA no config meets exits 5; under --json the error carries the figures', async () => {
    const result = await runCli(['size', '--profile', H100_70B_TP4, '--ttft', '100', '--itl', '10', '--request-rate', '5', '--json']);
    expect(result.code).toBe(5);
    const output = JSON.parse(result.stdout) as {error: {code: string; details: {best_ttft_ms: number; candidates: unknown[]}}};
    expectValid('output/error.schema.json', output);
    expect(output.error.code).toBe('E_SLA_NOT_ACHIEVABLE');
    expect(output.error.details.best_ttft_ms).toBeCloseTo(259, 0);
    const human = await runCli(['size', '--profile', H100_70B_TP4, '--ttft', '100', '--itl', '10', '--request-rate', '5']);
    const lines = human.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^Error: No candidate meets TTFT 100 ms .* h100_sxm-tp4 reaches TTFT 259 ms/);
    expect(lines[1]).toMatch(/^Hint: Relax the SLA \(TTFT needs at least 259 ms/);
  });

  it('bad inputs: a missing profile dir and a malformed profile exit 3; --request-rate with --concurrency exits 2', async () => {
    const missing = await runCli(['size', '--profile', join(scratch, 'nope'), '--request-rate', '1']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^Error: Profile directory .*nope does not exist\.\nHint: /);

    const malformed = join(scratch, 'malformed');
    mkdirSync(malformed);
    writeFileSync(join(malformed, 'profile.json'), JSON.stringify({schemaVersion: 1, engine: {model: 'x'}}));
    const bad = await runCli(['size', '--profile', malformed, '--request-rate', '1']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/profile\.json/);

    const both = await runCli(['size', '--request-rate', '1', '--concurrency', '4']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/concurrency/);

    const noLoad = await runCli(['size']);
    expect(noLoad.code).toBe(3);
    expect(noLoad.stderr).toMatch(/--request-rate R/);

    const unknownModel = await runCli(['size', '--model', 'nope/nope', '--request-rate', '1']);
    expect(unknownModel.code).toBe(3);
    expect(unknownModel.stderr).toMatch(/No shipped reference profile for nope\/nope/);
  });

  it('--help teaches: how it sizes, the defaults, examples', async () => {
    const help = await runCli(['size', '--help']);
    expect(help.stdout).toMatch(/M\/G\/c/);
    expect(help.stdout).toMatch(/ISL 3000,\s+OSL 150,\s+TTFT 200 ms,\s+ITL 20 ms/);
    expect(help.stdout).toMatch(/EXAMPLES/);
    expect(help.stdout).toMatch(/--method/);
  });
});
