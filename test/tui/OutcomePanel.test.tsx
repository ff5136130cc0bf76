import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {OutcomePanel} from '../../src/tui/OutcomePanel.js';
import {evaluateSizing} from '../../src/tui/outcome.js';
import {candidatesOf, H200_8B_FP8, input} from '../sizing/fixtures.js';

const candidates = candidatesOf(H200_8B_FP8);

describe('OutcomePanel', () => {
  it('shows the deployment, the infeasible state, or why the input cannot be sized', () => {
    const sized = input(candidates);
    expect(render(<OutcomePanel input={sized} outcome={evaluateSizing(sized)} width={70} />).lastFrame()).toMatch(/^Deployment\n(AGG|DISAGG) {2}\d+ GPUs/);
    const tight = input(candidates, {sla: {ttftMs: 1, itlMs: 20, percentile: 'p90'}});
    expect(render(<OutcomePanel input={tight} outcome={evaluateSizing(tight)} width={70} />).lastFrame()).toMatch(/^ INFEASIBLE: /);
    const refused = input(candidates, {mode: 'agg', method: 'dynamo'});
    const frame = render(<OutcomePanel input={refused} outcome={evaluateSizing(refused)} width={70} />).lastFrame()!;
    expect(frame).toMatch(/^CANNOT SIZE\n--method dynamo sizes disaggregated deployments only\.\nHint: Use --mode disagg/);
  });
});
