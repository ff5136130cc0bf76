// The inputs `tune` lets a person edit: how each reads its value from a SizingInput, writes it back, steps and
// clamps it. Which fields exist follows the input: TTFT and ITL, or E2E when the SLA is an E2E target; a request rate,
// or a concurrency; ISL/OSL only when the lengths are not a trace's.
import {formatMs} from '../cli/render-sizing.js';
import type {Percentile, SizingInput, SizingMode} from '../sizing/index.js';
import {niceStep} from './nice-steps.js';

export type FieldId = 'ttft' | 'itl' | 'e2e' | 'percentile' | 'isl' | 'osl' | 'rate' | 'concurrency' | 'maxGpus' | 'mode';
/** The latency targets a frontier can sweep. */
export type LatencyAxis = 'ttft' | 'itl' | 'e2e';

const PERCENTILES: readonly Percentile[] = ['p50', 'p90', 'p95', 'p99'];
const MODES: readonly (SizingMode | 'auto')[] = ['auto', 'disagg', 'agg'];
/** Typing 0 as max GPUs means no budget; stepping past this removes it too. */
const MAX_GPU_BUDGET = 4096;

interface FieldBase {
  id: FieldId;
  /** Label shown beside the value, e.g. "TTFT p90". */
  label(input: SizingInput): string;
  unit: string;
  applies(input: SizingInput): boolean;
}

export interface NumberField extends FieldBase {
  kind: 'number';
  integer: boolean;
  min: number;
  max: number;
  /** Undefined is a value of its own ("none") for optional fields. */
  get(input: SizingInput): number | undefined;
  set(input: SizingInput, value: number | undefined): SizingInput;
  optional: boolean;
}

export interface ChoiceField extends FieldBase {
  kind: 'choice';
  options: readonly string[];
  get(input: SizingInput): string;
  set(input: SizingInput, value: string): SizingInput;
}

export type TuneField = NumberField | ChoiceField;

/** What stepping a field may need from the current answer: the GPUs in use, where a GPU budget starts. */
export interface StepContext {
  totalGpus?: number;
}

const latency = (id: LatencyAxis, name: string, key: 'ttftMs' | 'itlMs' | 'e2eMs', applies: (input: SizingInput) => boolean): NumberField => ({
  id,
  kind: 'number',
  label: (input) => `${name} ${input.sla.percentile}`,
  unit: 'ms',
  integer: false,
  min: 0.01,
  max: 1e6,
  optional: false,
  applies,
  get: (input) => input.sla[key],
  set: (input, value) => ({...input, sla: {...input.sla, [key]: value}}),
});

const workloadNumber = (id: FieldId, label: string, unit: string, key: 'isl' | 'osl' | 'requestRate' | 'concurrency', integer: boolean, applies: (input: SizingInput) => boolean): NumberField => ({
  id,
  kind: 'number',
  label: () => label,
  unit,
  integer,
  min: integer ? 1 : 0.01,
  max: integer ? 1_000_000 : 100_000,
  optional: false,
  applies,
  get: (input) => input.workload[key],
  set: (input, value) => ({...input, workload: {...input.workload, [key]: value}}),
});

const hasE2e = (input: SizingInput) => input.sla.e2eMs !== undefined;
const fromTrace = (input: SizingInput) => (input.workload.samples?.length ?? 0) > 0;

/** Every field, in screen order. */
export const FIELDS: readonly TuneField[] = [
  latency('ttft', 'TTFT', 'ttftMs', (input) => !hasE2e(input)),
  latency('itl', 'ITL', 'itlMs', (input) => !hasE2e(input)),
  latency('e2e', 'E2E', 'e2eMs', hasE2e),
  {
    id: 'percentile',
    kind: 'choice',
    label: () => 'percentile',
    unit: '',
    options: PERCENTILES,
    applies: () => true,
    get: (input) => input.sla.percentile,
    set: (input, value) => ({...input, sla: {...input.sla, percentile: value as Percentile}}),
  },
  workloadNumber('isl', 'ISL', 'tok', 'isl', true, (input) => !fromTrace(input)),
  workloadNumber('osl', 'OSL', 'tok', 'osl', true, (input) => !fromTrace(input)),
  workloadNumber('rate', 'rate', 'req/s', 'requestRate', false, (input) => input.workload.concurrency === undefined),
  workloadNumber('concurrency', 'in flight', 'req', 'concurrency', false, (input) => input.workload.concurrency !== undefined),
  {
    id: 'maxGpus',
    kind: 'number',
    label: () => 'max GPUs',
    unit: '',
    integer: true,
    min: 1,
    max: MAX_GPU_BUDGET,
    optional: true,
    applies: () => true,
    get: (input) => input.limits.maxGpus,
    set: (input, value) => ({...input, limits: {...input.limits, maxGpus: value}}),
  },
  {
    id: 'mode',
    kind: 'choice',
    label: () => 'mode',
    unit: '',
    options: MODES,
    applies: (input) => input.method !== 'dynamo',
    get: (input) => input.mode,
    set: (input, value) => ({...input, mode: value as SizingMode | 'auto'}),
  },
];

/** The fields of this input, in screen order. */
export function fieldsFor(input: SizingInput): TuneField[] {
  return FIELDS.filter((field) => field.applies(input));
}

export function fieldById(id: FieldId): TuneField {
  return FIELDS.find((field) => field.id === id)!;
}

/** The value as the screen shows it, without the unit: "200", "20.0", "p90", "none". */
export function formatFieldValue(field: TuneField, input: SizingInput): string {
  if (field.kind === 'choice') return field.get(input);
  const value = field.get(input);
  if (value === undefined) return 'none';
  if (field.integer) return String(value);
  if (field.unit === 'ms') return formatMs(value);
  return value >= 100 ? value.toFixed(0) : value.toFixed(2);
}

/** One step up (1) or down (-1): a round value about 10% away, the next choice; clamped to the field's range. */
export function stepField(field: TuneField, input: SizingInput, direction: 1 | -1, context: StepContext = {}): SizingInput {
  if (field.kind === 'choice') {
    const index = field.options.indexOf(field.get(input));
    const next = Math.min(field.options.length - 1, Math.max(0, index + direction));
    return field.set(input, field.options[next]!);
  }
  const value = field.get(input);
  if (value === undefined) {
    // No budget yet: stepping down starts one at what the deployment uses now; there is nothing above "none".
    if (direction > 0 || !field.optional) return input;
    return field.set(input, clamp(field, context.totalGpus ?? field.max));
  }
  if (field.optional && direction > 0 && value >= field.max) return field.set(input, undefined);
  return field.set(input, clamp(field, niceStep(value, direction, field.integer)));
}

/** A typed value, or why it cannot be used. Typing 0 for an optional field removes it ("none"). */
export function applyTyped(field: TuneField, input: SizingInput, text: string): {input: SizingInput} | {error: string} {
  if (field.kind === 'choice') return {error: `${field.label(input)} is a choice: use left/right.`};
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) return {error: `"${text}" is not a number.`};
  if (field.optional && value === 0) return {input: field.set(input, undefined)};
  if (field.integer && !Number.isInteger(value)) return {error: `${field.label(input)} takes a whole number.`};
  if (value < field.min || value > field.max) return {error: `${field.label(input)} must be from ${field.min} to ${field.max}${field.optional ? ' (0 for none)' : ''}.`};
  return {input: field.set(input, value)};
}

function clamp(field: NumberField, value: number): number {
  return Math.min(field.max, Math.max(field.min, value));
}
