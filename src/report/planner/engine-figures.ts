// Per-engine load at each tick: queued prefill tokens, and decode KV tokens against one engine's KV capacity.
import type {Data} from 'plotly.js-dist-min';
import {type DecodeEngineLoad, engineKey, known, type PlannerSnapshot} from '../../planner/telemetry/snapshot.js';
import type {ReportFigure} from '../figure.js';
import {seriesStyle} from '../series-style.js';
import {anyValue, lineTrace, seriesOf, timeFigure} from './timeline.js';

const CAPACITY_STYLE = {colour: '#000000', symbol: 'x', dash: 'dash'} as const;

interface EngineLike {
  worker_id: string;
  dp_rank?: number;
}

/** One line per engine seen in any tick, sorted by name; an engine absent from a tick leaves a gap. */
function perEngineLines<E extends EngineLike>(snapshots: readonly PlannerSnapshot[], x: number[], engines: (s: PlannerSnapshot) => E[] | undefined, value: (engine: E) => number | undefined, prefix: string): Data[] {
  const byKey = snapshots.map((s) => new Map((engines(s) ?? []).map((engine) => [engineKey(engine), engine])));
  const keys = [...new Set(byKey.flatMap((tick) => [...tick.keys()]))].sort();
  return keys.flatMap((key, index) => {
    const y = seriesOf(snapshots, (_, tick) => {
      const engine = byKey[tick]!.get(key);
      return engine && value(engine);
    });
    return anyValue(y) ? [lineTrace(x, {name: `${prefix} ${key}`, y, style: seriesStyle(index), unit: 'tokens', markers: true})] : [];
  });
}

export function prefillQueueFigure(snapshots: readonly PlannerSnapshot[], x: number[]): ReportFigure {
  const data = perEngineLines(snapshots, x, (s) => s.engines?.prefill, (engine) => engine.queued_prefill_tokens, 'P');
  return timeFigure({
    id: 'plot-prefill-queue',
    title: 'Prefill engine load',
    yTitle: 'Queued prefill tokens',
    caption: 'Prompt tokens waiting to be prefilled, one line per prefill engine (worker:dp rank).',
    data,
    hasData: data.length > 0,
  });
}

export function decodeKvFigure(snapshots: readonly PlannerSnapshot[], x: number[]): ReportFigure {
  const total = ({queued_decode_kv_tokens: queued, inflight_decode_kv_tokens: inflight}: DecodeEngineLoad) =>
    known(queued) || known(inflight) ? (known(queued) ? queued : 0) + (known(inflight) ? inflight : 0) : undefined;
  const data = perEngineLines(snapshots, x, (s) => s.engines?.decode, total, 'D');
  const hasData = data.length > 0;
  const capacity = seriesOf(snapshots, (s) => s.max_kv_tokens);
  if (hasData && anyValue(capacity)) data.push(lineTrace(x, {name: 'max_kv (one engine)', y: capacity, style: CAPACITY_STYLE, unit: 'tokens', dash: 'dash', step: true}));
  return timeFigure({
    id: 'plot-decode-kv',
    title: 'Decode engine load',
    yTitle: 'Decode KV tokens (queued + in flight)',
    caption: 'KV tokens of requests being decoded plus those waiting, one line per decode engine. Dashed: the KV capacity of one engine.',
    data,
    hasData,
  });
}
