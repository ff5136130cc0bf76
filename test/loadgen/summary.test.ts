import {describe, expect, it} from 'vitest';
import {parseGoodput} from '../../src/loadgen/goodput.js';
import type {MetricSummary} from '../../src/loadgen/stats.js';
import {summarizeRecords} from '../../src/loadgen/summary.js';
import {schemaValidator} from '../../src/schema/validator.js';
import {record} from './record-fixture.js';

// Hand-computed run: three completed requests (one of which waited 500 ms in the client) and two failures.
const records = [
  record(0, {intended_send_s: 0, actual_send_s: 0, first_token_s: 0.1, first_chunk_s: 0.1, token_times_s: [0.1, 0.15, 0.2], end_s: 0.2, output_tokens: 3}),
  record(1, {intended_send_s: 1, actual_send_s: 1.5, first_token_s: 1.7, first_chunk_s: 1.7, token_times_s: [1.7, 1.8], end_s: 1.8, output_tokens: 2}),
  record(2, {intended_send_s: 2, actual_send_s: 2, first_token_s: 2.3, first_chunk_s: 2.3, token_times_s: [2.3], end_s: 2.3, output_tokens: 1}),
  record(3, {intended_send_s: 3, actual_send_s: 3, first_chunk_s: null, first_token_s: null, token_times_s: [], end_s: 3.5, output_tokens: 0, error_kind: 'http_5xx', error_message: 'HTTP 503'}),
  record(4, {intended_send_s: 2.5, actual_send_s: 2.5, end_s: 4, error_kind: 'stalled', error_message: 'stalled'}),
];

function expectMetric(actual: MetricSummary | null, expected: MetricSummary): void {
  expect(actual).not.toBeNull();
  for (const key of Object.keys(expected) as (keyof MetricSummary)[]) expect(actual![key], key).toBeCloseTo(expected[key], 9);
}

describe('summarizeRecords', () => {
  const summary = summarizeRecords(records);

  it('counts requests, errors by kind, and throughput over first intended send to last end', () => {
    expect(summary).toMatchObject({requests: 5, completed: 3, errors: {total: 2, by_kind: {http_5xx: 1, stalled: 1}}, duration_s: 4, output_tokens: 6, goodput: null});
    expect(summary.request_throughput).toBeCloseTo(0.75, 12);
    expect(summary.output_token_throughput).toBeCloseTo(1.5, 12);
  });

  it('reports TTFT from the intended send and from the actual send, and the client queue time', () => {
    // From intended: 100, 700, 300 ms. From actual: 100, 200, 300 ms. Queue: 0, 500, 0 ms.
    expectMetric(summary.ttft_ms, {mean: 1100 / 3, p50: 300, p90: 620, p95: 660, p99: 692, max: 700});
    expectMetric(summary.ttft_from_actual_send_ms, {mean: 200, p50: 200, p90: 280, p95: 290, p99: 298, max: 300});
    expectMetric(summary.queue_ms, {mean: 500 / 3, p50: 0, p90: 400, p95: 450, p99: 490, max: 500});
  });

  it('pools chunk gaps for ITL, and takes TPOT per request with more than one token', () => {
    // Gaps: 50, 50 (request 0) and 100 (request 1). TPOT: (0.2 - 0.1) / 2 = 50 ms and (1.8 - 1.7) / 1 = 100 ms.
    expectMetric(summary.itl_ms, {mean: 200 / 3, p50: 50, p90: 90, p95: 95, p99: 99, max: 100});
    expectMetric(summary.tpot_ms, {mean: 75, p50: 75, p90: 95, p95: 97.5, p99: 99.5, max: 100});
    // E2E from intended send: 200, 800, 300 ms.
    expectMetric(summary.e2e_ms, {mean: 1300 / 3, p50: 300, p90: 700, p95: 750, p99: 790, max: 800});
  });

  it('goodput: completed requests meeting every SLO, per second of the run and as a fraction of all requests', () => {
    // ttft <= 400 and tpot <= 60: request 0 (100, 50) and request 2 (300, one token) pass; request 1 waited (TTFT 700).
    expect(summarizeRecords(records, {slo: parseGoodput('ttft:400,tpot:60')}).goodput).toEqual({slo_ms: {ttft: 400, tpot: 60}, good: 2, requests_per_s: 0.5, fraction: 0.4});
    expect(summarizeRecords(records, {slo: parseGoodput('e2e:250')}).goodput).toMatchObject({good: 1, requests_per_s: 0.25});
    expect(summarizeRecords(records, {slo: parseGoodput('itl:60')}).goodput).toMatchObject({good: 2});
  });

  it('an empty run has no figures', () => {
    const empty = summarizeRecords([], {slo: {ttft: 100}});
    expect(empty).toMatchObject({requests: 0, completed: 0, duration_s: 0, request_throughput: null, ttft_ms: null, goodput: {good: 0, requests_per_s: null, fraction: null}});
  });

  it('validates against schemas/output/bench.schema.json, with the fields the runner adds', () => {
    const validate = schemaValidator('output/bench.schema.json');
    for (const value of [
      summary,
      summarizeRecords(records, {slo: parseGoodput('ttft:400,tpot:60,itl:20,e2e:1000')}),
      summarizeRecords([]),
      {...summary, url: 'http://127.0.0.1:8000', model: 'Qwen/Qwen3-0.6B', api: 'chat', out_dir: '/tmp/run'},
    ]) {
      expect(validate(value) ? [] : validate.errors).toEqual([]);
    }
    expect(validate({...summary, errors: {total: 1, by_kind: {gremlins: 1}}})).toBe(false);
    expect(validate({...summary, extra: 1})).toBe(false);
  });
});
