import {Box, Text} from 'ink';
import type {SizingInput} from '../sizing/index.js';
import {InfeasiblePanel} from './InfeasiblePanel.js';
import type {SizingOutcome} from './outcome.js';
import {ResultsPanel} from './ResultsPanel.js';

export interface OutcomePanelProps {
  input: SizingInput;
  outcome: SizingOutcome;
  width: number;
}

/** The right-hand panel: the deployment, the infeasible state, or why sizing refused the input. */
export function OutcomePanel({input, outcome, width}: OutcomePanelProps) {
  if (outcome.kind === 'sized') return <ResultsPanel result={outcome.result} width={width} />;
  if (outcome.kind === 'infeasible') return <InfeasiblePanel input={input} outcome={outcome} width={width} />;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>CANNOT SIZE</Text>
      <Text>{outcome.message}</Text>
      {outcome.hint ? <Text>{`Hint: ${outcome.hint}`}</Text> : null}
    </Box>
  );
}
