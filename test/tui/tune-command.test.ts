import {describe, expect, it} from 'vitest';
import {schemaValidator} from '../../src/schema/validator.js';
import {runCli} from '../helpers/cli.js';
import {H100_70B_TP4} from '../sizing/fixtures.js';

// Runs the built CLI (dist/): `npm run build` first. Its stdout is a pipe, so tune has no terminal to draw on.

describe('dynamo-plan tune without a terminal', {timeout: 60_000}, () => {
  it('prints the sizing once, exactly as size does, with a hint on stderr, and exits 0', async () => {
    const args = ['--request-rate', '20', '--itl', '25', '--mode', 'disagg'];
    const [tune, size] = await Promise.all([runCli(['tune', ...args]), runCli(['size', ...args])]);
    expect(tune.code).toBe(0);
    expect(tune.stdout).toMatch(/^Disaggregated: \d+ GPUs for TTFT 200 ms, ITL 25\.0 ms at p90; 20\.00 req\/s/);
    expect(tune.stdout).toBe(size.stdout);
    expect(tune.stderr).toBe('tune is interactive: run it in a terminal to edit the SLA live; printed the sizing once.\n');
  });

  it('--json: the sizing, valid against tune.schema.json', async () => {
    const result = await runCli(['tune', '--request-rate', '20', '--json']);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as {total_gpus: number; sla: {itl_ms: number}};
    const validate = schemaValidator('output/tune.schema.json');
    expect(validate(output) ? [] : validate.errors).toEqual([]);
    expect(output.sla.itl_ms).toBe(20);
    // The schema is size's: a field size does not have is refused.
    expect(validate({...output, extra: 1})).toBe(false);
  });

  it('an SLA no config meets exits 5 with the figures, as size does', async () => {
    const result = await runCli(['tune', '--profile', H100_70B_TP4, '--ttft', '100', '--itl', '10', '--request-rate', '5']);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/^Error: No candidate meets TTFT 100 ms .* h100_sxm-tp4 reaches TTFT \d+ ms/);
  });
});
