import {describe, expect, it} from 'vitest';
import {sizingInputFromFlags} from '../../src/cli/sizing-flags.js';
import {sizeDeployment, type SizingResult} from '../../src/sizing/index.js';
import {validateSizing} from '../../src/sizing/validate.js';
import {schemaValidator} from '../../src/schema/validator.js';
import {runCli} from '../helpers/cli.js';

// `size --validate` simulates the sized deployment in virtual time, engine by engine. Acceptance: for several
// workloads the chosen sizing meets the SLA at its percentile in simulation, and every deployment with one replica
// fewer (in any role) does not, so the sizing is neither short nor padded by a whole engine.
const WORKLOADS: [string, Record<string, unknown>][] = [
  ['8B FP8 on H200, disaggregated: 10 req/s, ISL 4000, OSL 500', {'request-rate': 10, isl: 4000, osl: 500, mode: 'disagg'}],
  ['8B FP8 on H200, aggregated: 50 req/s at the default SLA', {'request-rate': 50, mode: 'agg'}],
  ['8B on H100, aggregated: 20 req/s', {'request-rate': 20, model: 'meta-llama/Llama-3.1-8B-Instruct', mode: 'agg'}],
  ['Qwen3-32B on 2 x H100, disaggregated: 6 req/s, TTFT 600 ms, ITL 30 ms', {'request-rate': 6, model: 'Qwen/Qwen3-32B', ttft: 600, itl: 30, mode: 'disagg'}],
];

function inputOf(flags: Record<string, unknown>) {
  return sizingInputFromFlags({percentile: 'p90', 'min-replicas': 1, method: 'dynamo-plan', ...flags} as Parameters<typeof sizingInputFromFlags>[0]);
}

function withOneFewer(sizing: SizingResult, index: number): SizingResult {
  return {...sizing, roles: sizing.roles.map((role, i) => (i === index ? {...role, replicas: role.replicas - 1} : role))};
}

describe('size --validate', {timeout: 120_000}, () => {
  for (const [name, flags] of WORKLOADS) {
    it(`${name}: meets the SLA as sized, misses it with one replica fewer`, () => {
      const input = inputOf(flags);
      const sizing = sizeDeployment(input);
      const validation = validateSizing(input, sizing);
      expect(validation.meets_sla).toBe(true);
      expect(validation.ttft_ms.attainment).toBeGreaterThanOrEqual(0.9);
      expect(validation.itl_ms.attainment).toBeGreaterThanOrEqual(0.9);
      expect(validation.ttft_ms.achieved!).toBeLessThanOrEqual(validation.ttft_ms.target);
      sizing.roles.forEach((role, index) => {
        if (role.replicas < 2) return;
        const fewer = validateSizing(input, withOneFewer(sizing, index));
        expect(fewer.meets_sla, `${role.role} ${role.replicas - 1}`).toBe(false);
        expect(Math.min(fewer.ttft_ms.attainment, fewer.itl_ms.attainment)).toBeLessThan(0.9);
      });
    });
  }

  it('is deterministic for a seed, and a different seed draws different arrivals', () => {
    const input = inputOf({'request-rate': 10, isl: 4000, osl: 500, mode: 'disagg'});
    const sizing = sizeDeployment(input);
    const first = validateSizing(input, sizing, {seed: 1, requests: 500});
    expect(validateSizing(input, sizing, {seed: 1, requests: 500})).toEqual(first);
    expect(validateSizing(input, sizing, {seed: 2, requests: 500}).simulated_s).not.toBe(first.simulated_s);
  });

  it('with a trace, replays the trace itself', () => {
    const input = inputOf({trace: '../shared/reference/traces/mooncake_conversation_trace.jsonl', ttft: 3000, itl: 30, mode: 'auto'});
    const sizing = sizeDeployment(input);
    const validation = validateSizing(input, sizing);
    expect(validation.load).toBe('trace');
    expect(validation.requests).toBe(sizing.workload.samples);
  });

  it('the CLI prints the check beside the prediction, and --json validates against the size schema', async () => {
    const text = await runCli(['size', '--request-rate', '20', '--model', 'meta-llama/Llama-3.1-8B-Instruct', '--mode', 'agg', '--validate', '--validate-requests', '1000']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Validation: 1000 requests \(Poisson arrivals at the sized rate\)/);
    expect(text.stdout).toMatch(/TTFT\s+200\s+\d+\s+\d+/);
    const json = await runCli(['size', '--request-rate', '20', '--model', 'meta-llama/Llama-3.1-8B-Instruct', '--mode', 'agg', '--validate', '--validate-requests', '1000', '--json']);
    const output = JSON.parse(json.stdout) as {validation: {requests: number; meets_sla: boolean}};
    const validate = schemaValidator('output/size.schema.json');
    expect(validate(output) ? [] : validate.errors).toEqual([]);
    expect(output.validation.requests).toBe(1000);
  });
});
