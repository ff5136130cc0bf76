// The screen's state and every change a key can make to it, as a pure reducer: the components only render it.
import type {SizingInput} from '../sizing/index.js';
import {applyTyped, type FieldId, fieldById, fieldsFor, type LatencyAxis, type StepContext, stepField} from './fields.js';

export interface StatusMessage {
  text: string;
  /** Errors are also worded as such ("Cannot save: ..."): the kind only picks a prefix glyph, never a colour alone. */
  kind: 'info' | 'error';
}

export interface TuneState {
  /** What the flags gave: `r` returns here. */
  initial: SizingInput;
  input: SizingInput;
  focus: FieldId;
  /** The latency target the frontier sweeps: the focused one, or the last one focused. */
  axis: LatencyAxis;
  /** Digits being typed into the focused field; null when not typing. */
  draft: string | null;
  status: StatusMessage | null;
}

export type TuneAction =
  | {type: 'move'; by: 1 | -1}
  | {type: 'step'; by: 1 | -1; context?: StepContext}
  | {type: 'type'; text: string}
  | {type: 'erase'}
  | {type: 'accept'}
  | {type: 'cancel'}
  | {type: 'reset'}
  | {type: 'status'; status: StatusMessage};

export function initialTuneState(input: SizingInput): TuneState {
  const first = fieldsFor(input)[0]!.id;
  return {initial: input, input, focus: first, axis: input.sla.e2eMs === undefined ? 'itl' : 'e2e', draft: null, status: null};
}

export function tuneReducer(state: TuneState, action: TuneAction): TuneState {
  const field = fieldById(state.focus);
  switch (action.type) {
    case 'move': {
      if (state.draft !== null) return state;
      const fields = fieldsFor(state.input);
      const index = fields.findIndex((entry) => entry.id === state.focus);
      const focus = fields[Math.min(fields.length - 1, Math.max(0, index + action.by))]!.id;
      return {...state, focus, axis: isLatency(focus) ? focus : state.axis, status: null};
    }
    case 'step':
      if (state.draft !== null) return state;
      return {...state, input: stepField(field, state.input, action.by, action.context), status: null};
    case 'type':
      if (field.kind === 'choice') return {...state, status: {kind: 'error', text: `${field.label(state.input)} is a choice: use left/right.`}};
      return {...state, draft: (state.draft ?? '') + action.text, status: null};
    case 'erase':
      return state.draft === null ? state : {...state, draft: state.draft.slice(0, -1)};
    case 'accept': {
      if (state.draft === null) return state;
      const typed = applyTyped(field, state.input, state.draft);
      if ('error' in typed) return {...state, draft: null, status: {kind: 'error', text: typed.error}};
      return {...state, input: typed.input, draft: null, status: null};
    }
    case 'cancel':
      return state.draft === null ? state : {...state, draft: null, status: {kind: 'info', text: 'Edit cancelled.'}};
    case 'reset':
      return {...initialTuneState(state.initial), focus: state.focus, axis: state.axis, status: {kind: 'info', text: 'Reset to the starting values.'}};
    case 'status':
      return {...state, status: action.status};
  }
}

function isLatency(id: FieldId): id is LatencyAxis {
  return id === 'ttft' || id === 'itl' || id === 'e2e';
}
