// `planner replay` as a user runs it: --json matches its schema, --report writes each policy's report, and a bad
// trace is refused with exit 3 and a hint.
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {schemaValidator} from '../../src/schema/validator.js';
import {runCli} from '../helpers/cli.js';
import {steady, writeTrace} from './fixture.js';

describe('planner replay command', {timeout: 120_000}, () => {
  it('--json: one entry per policy, valid against schemas/output/planner-replay.schema.json; --report writes HTML', async () => {
    const trace = writeTrace([...steady(5, 0, 200, 800, 20), ...steady(10, 200, 400, 800, 20)]);
    const reports = join(trace, '..', 'reports');
    const result = await runCli(['planner', 'replay', '--trace', trace, '--compare', 'static-peak,dynamo-sla,dynamo-plan', '--ttft-ms', '500', '--itl-ms', '30', '--report', reports, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    const validate = schemaValidator('output/planner-replay.schema.json');
    expect(validate(output) ? [] : validate.errors).toEqual([]);
    expect(output.policies.map((policy: {name: string}) => policy.name)).toEqual(['static-peak', 'dynamo-sla', 'dynamo-plan']);
    for (const policy of output.policies) {
      expect(policy.reports).toHaveLength(1);
      expect(policy.reports[0].startsWith(join(reports, policy.name))).toBe(true);
      expect(existsSync(policy.reports[0])).toBe(true);
      expect(readFileSync(policy.reports[0], 'utf8')).toContain('</html>');
    }
  });

  it('a trace that is not one: exit 3, the cause and a hint', async () => {
    const trace = writeTrace([], 'bad.csv');
    writeFileSync(trace, 'when,what\n1,2\n');
    const result = await runCli(['planner', 'replay', '--trace', trace, '--compare', 'dynamo-sla']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/Error: .*bad\.csv.*line 1/);
    expect(result.stderr).toMatch(/Hint: .*TIMESTAMP,ContextTokens,GeneratedTokens/);
  });
});
