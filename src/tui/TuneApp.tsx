import {Box, Text, useApp, useInput, useStdin} from 'ink';
import {useEffect, useMemo, useRef, useState} from 'react';
import {DynamoPlanError} from '../errors/errors.js';
import type {SizingInput, SizingResult} from '../sizing/index.js';
import {fieldById} from './fields.js';
import {FieldList} from './FieldList.js';
import {FrontierCache, targetOf} from './frontier.js';
import {FrontierChart} from './FrontierChart.js';
import {HelpLine} from './HelpLine.js';
import {commandForKey} from './keys.js';
import {screenLayout} from './layout.js';
import {evaluateSizing} from './outcome.js';
import {OutcomePanel} from './OutcomePanel.js';
import {type SaveTarget, saveDgdr, saveSizingJson} from './save.js';
import {StatusLine} from './StatusLine.js';
import {initialTuneState, type StatusMessage, type TuneAction, tuneReducer} from './tune-state.js';
import {useTerminalSize} from './use-terminal-size.js';
import {computeView, KEYSTROKE_SWEEP_BUDGET} from './view.js';

export interface TuneAppProps {
  /** The sizing input the flags describe; `r` returns to it. */
  initial: SizingInput;
  /** Where `s` and `j` write. */
  saveTo: SaveTarget;
}

/** `dynamo-plan tune`: edit the SLA and workload with the keyboard, watch the deployment and its frontier follow. */
export function TuneApp({initial, saveTo}: TuneAppProps) {
  const [state, setState] = useState(() => initialTuneState(initial));
  // Keys can arrive faster than React renders ("12" then Enter): each is read against the state the previous ones
  // left, not the last rendered one.
  const latest = useRef(state);
  const dispatch = (action: TuneAction) => {
    latest.current = tuneReducer(latest.current, action);
    setState(latest.current);
  };
  const cache = useRef(new FrontierCache()).current;
  // Each render sizes what fits the keystroke budget; the rest of the frontier fills in on the following turns.
  const [refinements, setRefinements] = useState(0);
  const view = useMemo(() => computeView(state.input, state.axis, cache, KEYSTROKE_SWEEP_BUDGET), [state.input, state.axis, cache, refinements]);
  useEffect(() => {
    if (view.frontier.pending === 0) return;
    const timer = setTimeout(() => setRefinements((count) => count + 1), 0);
    return () => clearTimeout(timer);
  }, [view]);
  const {columns, rows} = useTerminalSize();
  const layout = screenLayout(columns, rows);
  const {exit} = useApp();
  const {isRawModeSupported} = useStdin();
  const sized = view.outcome.kind === 'sized' ? view.outcome.result : null;

  const save = (what: string, write: (result: SizingResult) => string): StatusMessage => {
    // What the keys so far set, even if not drawn yet (sizing is fast; the frontier is not needed).
    const outcome = latest.current.input === state.input ? view.outcome : evaluateSizing(latest.current.input);
    if (outcome.kind !== 'sized') return {kind: 'error', text: `Nothing to save: ${outcome.kind === 'infeasible' ? 'the SLA is infeasible' : 'the input cannot be sized'}.`};
    try {
      return {kind: 'info', text: `Saved ${what} to ${write(outcome.result)}`};
    } catch (error) {
      if (!(error instanceof DynamoPlanError)) throw error;
      return {kind: 'error', text: `Cannot save ${what}: ${error.message}`};
    }
  };

  useInput(
    (input, key) => {
      const command = commandForKey(input, key, latest.current);
      if (command === null) return;
      if (command.type === 'quit') exit();
      else if (command.type === 'save-dgdr') dispatch({type: 'status', status: save('DGDR', (result) => saveDgdr(result, saveTo))});
      else if (command.type === 'save-json') dispatch({type: 'status', status: save('sizing JSON', (result) => saveSizingJson(result, saveTo))});
      else if (command.type === 'step') dispatch({...command, context: {totalGpus: sized?.total_gpus}});
      else dispatch(command);
    },
    {isActive: isRawModeSupported},
  );

  const target = targetOf(state.input, state.axis);
  const current = target === undefined || view.outcome.kind === 'error' ? null : {targetMs: target, throughputPerGpu: sized?.throughput_per_gpu ?? null};
  const model = state.input.candidates.find((candidate) => candidate.engine.model !== null)?.engine.model ?? 'model';
  const fields = <FieldList input={state.input} focus={state.focus} draft={state.draft} width={layout.fieldsWidth} />;
  const results = <OutcomePanel input={state.input} outcome={view.outcome} width={layout.resultsWidth} />;
  return (
    <Box flexDirection="column" width={columns}>
      <Text wrap="truncate-end">
        <Text bold>dynamo-plan tune</Text>
        {`  ${model}  ${state.input.candidates.map((candidate) => candidate.name).join(', ')}`}
      </Text>
      <Box flexDirection={layout.sideBySide ? 'row' : 'column'}>
        {fields}
        {results}
      </Box>
      {layout.showFrontier ? <FrontierChart frontier={view.frontier} current={current} percentile={state.input.sla.percentile} width={layout.chartWidth} height={layout.chartHeight} /> : null}
      <StatusLine status={state.status} typing={state.draft === null ? null : fieldById(state.focus).label(state.input)} />
      <HelpLine text={layout.helpLine} />
    </Box>
  );
}
