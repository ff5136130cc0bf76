import {Box, Text} from 'ink';
import {Lines} from './Lines.js';
import {formatMs} from '../cli/render-sizing.js';
import type {SizingInput} from '../sizing/index.js';
import {relaxAdvice, type SizingOutcome} from './outcome.js';

export interface InfeasiblePanelProps {
  input: SizingInput;
  outcome: Extract<SizingOutcome, {kind: 'infeasible'}>;
  width: number;
}

/** An SLA no deployment meets, said in words: the best the engines reach, what to relax, and why each mode fails. */
export function InfeasiblePanel({input, outcome, width}: InfeasiblePanelProps) {
  const {best} = outcome;
  const figure = (value: number | null) => (value === null ? '-' : `${formatMs(value)} ms`);
  const lines = [
    'Best achievable, unloaded:',
    `  TTFT ${input.sla.percentile} ${figure(best.ttftMs)}  ITL ${input.sla.percentile} ${figure(best.itlMs)}`,
    `To fix: ${relaxAdvice(input, outcome).join('; ')}`,
    ...outcome.modes.map((mode) => `${mode.mode}: ${mode.reason}`),
  ];
  return (
    <Box flexDirection="column" width={width}>
      <Text bold inverse>
        {' INFEASIBLE: no deployment meets this SLA '}
      </Text>
      <Lines lines={lines} />
    </Box>
  );
}
