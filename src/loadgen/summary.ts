// The figures of a run (schemas/output/bench.schema.json), computed from its records. Latency figures cover the
// requests that completed; errors are counted by kind. The duration runs from the first intended send to the
// last end, so time a saturated client spent falling behind its schedule lowers the throughputs.
import type {ApiKind, ErrorKind} from '../engine/types.js';
import {type GoodputSlo, meetsSlo} from './goodput.js';
import type {BenchRecord} from './records.js';
import {requestLatencies} from './request-latencies.js';
import {type MetricSummary, summarize} from './stats.js';

export interface BenchSummary {
  /** Set by the runner: what was measured and where the records are. */
  url?: string;
  model?: string;
  api?: ApiKind;
  out_dir?: string;
  requests: number;
  completed: number;
  errors: {total: number; by_kind: Partial<Record<ErrorKind, number>>};
  duration_s: number;
  /** Output tokens of the completed requests. */
  output_tokens: number;
  /** Completed requests per second; null when the duration is zero. */
  request_throughput: number | null;
  output_token_throughput: number | null;
  goodput: {slo_ms: GoodputSlo; good: number; requests_per_s: number | null; fraction: number | null} | null;
  ttft_ms: MetricSummary | null;
  ttft_from_actual_send_ms: MetricSummary | null;
  itl_ms: MetricSummary | null;
  tpot_ms: MetricSummary | null;
  e2e_ms: MetricSummary | null;
  queue_ms: MetricSummary | null;
}

export function summarizeRecords(records: readonly BenchRecord[], options: {slo?: GoodputSlo} = {}): BenchSummary {
  const {slo} = options;
  const byKind: Partial<Record<ErrorKind, number>> = {};
  const ms = {ttft: [] as number[], ttftFromActual: [] as number[], itl: [] as number[], tpot: [] as number[], e2e: [] as number[], queue: [] as number[]};
  let completed = 0;
  let good = 0;
  let outputTokens = 0;
  let firstSendS = Infinity;
  let lastEndS = -Infinity;
  for (const record of records) {
    firstSendS = Math.min(firstSendS, record.intended_send_s);
    lastEndS = Math.max(lastEndS, record.end_s);
    if (record.error_kind !== null) {
      byKind[record.error_kind] = (byKind[record.error_kind] ?? 0) + 1;
      continue;
    }
    completed++;
    outputTokens += record.output_tokens;
    const latencies = requestLatencies(record);
    if (latencies.ttftS !== null) ms.ttft.push(latencies.ttftS * 1000);
    if (latencies.ttftFromActualSendS !== null) ms.ttftFromActual.push(latencies.ttftFromActualSendS * 1000);
    if (latencies.tpotS !== null) ms.tpot.push(latencies.tpotS * 1000);
    for (const gap of latencies.itlGapsS) ms.itl.push(gap * 1000);
    ms.e2e.push(latencies.e2eS * 1000);
    ms.queue.push(latencies.queueS * 1000);
    if (slo && meetsSlo(latencies, slo)) good++;
  }
  const durationS = records.length === 0 ? 0 : Math.max(0, lastEndS - firstSendS);
  const perSecond = (count: number): number | null => (durationS > 0 ? count / durationS : null);
  const hasSlo = slo !== undefined && Object.keys(slo).length > 0;
  return {
    requests: records.length,
    completed,
    errors: {total: records.length - completed, by_kind: byKind},
    duration_s: durationS,
    output_tokens: outputTokens,
    request_throughput: perSecond(completed),
    output_token_throughput: perSecond(outputTokens),
    goodput: hasSlo ? {slo_ms: slo, good, requests_per_s: perSecond(good), fraction: records.length > 0 ? good / records.length : null} : null,
    ttft_ms: summarize(ms.ttft),
    ttft_from_actual_send_ms: summarize(ms.ttftFromActual),
    itl_ms: summarize(ms.itl),
    tpot_ms: summarize(ms.tpot),
    e2e_ms: summarize(ms.e2e),
    queue_ms: summarize(ms.queue),
  };
}
