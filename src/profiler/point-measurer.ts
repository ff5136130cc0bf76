// Binds the measurement settings of a sweep to one engine, giving runSweep its `measure`.
import type {EngineClient} from '../engine/types.js';
import type {PromptBuilder} from '../loadgen/prompts.js';
import {measureDecodePoint} from './decode-point.js';
import {measurePrefillPoint} from './prefill-point.js';
import type {MeasurePoint} from './sweep.js';

export interface PointMeasurerOptions {
  client: EngineClient;
  builder: PromptBuilder;
  seed: number;
  prefill?: {samples?: number; warmup?: number; osl?: number};
  decode?: {osl?: number};
}

export function pointMeasurer({client, builder, seed, prefill, decode}: PointMeasurerOptions): MeasurePoint {
  return (spec, signal) =>
    spec.kind === 'prefill'
      ? measurePrefillPoint({client, builder, seed, signal, isl: spec.isl, ...prefill})
      : measureDecodePoint({client, builder, seed, signal, concurrency: spec.concurrency, context: spec.context, ...decode});
}
