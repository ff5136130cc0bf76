// docs/planner.md's queue-model configuration is the dynamo-plan policy replay measures: a user who copies it runs
// what the published replay figures describe.
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {parse} from 'yaml';
import {parsePlannerConfig} from '../../../src/planner/config.js';
import {builtinPolicy} from '../../../src/replay/policies.js';

const doc = readFileSync(fileURLToPath(new URL('../../../docs/planner.md', import.meta.url)), 'utf8');

describe('docs/planner.md: the queue model', () => {
  it('shows the configuration of replay\'s dynamo-plan policy (SLA 500/30 ms, 60 s start-up)', () => {
    const section = doc.slice(doc.indexOf('## The queue model'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yaml).toBeDefined();
    const documented = parsePlannerConfig(parse(yaml!), 'docs/planner.md');
    const policy = builtinPolicy('dynamo-plan', {mode: 'disagg', sla: {ttft_ms: 500, itl_ms: 30}, max_gpu_budget: -1, min_endpoint: 1, startup_s: 60});
    if (policy.kind !== 'planner') throw new Error('dynamo-plan is a planner policy');
    // Replay sets the deployment facts (environment, budget) itself; every decision field must match.
    const decisionFields = ({environment: _environment, max_gpu_budget: _budget, ...fields}: typeof documented) => fields;
    expect(decisionFields(documented)).toEqual(decisionFields(policy.config));
  });
});
