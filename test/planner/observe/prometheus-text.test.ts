import {describe, expect, it} from 'vitest';
import {familyName, formatPrometheusText, parsePrometheusText, sumSeries} from '../../../src/planner/observe/prometheus-text.js';

const TEXT = `# HELP vllm:num_requests_running Number of requests in model execution batches.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{engine="0",model_name="m"} 3
vllm:num_requests_running{engine="1",model_name="m"} 4 1700000000000
# TYPE vllm:time_to_first_token_seconds histogram
vllm:time_to_first_token_seconds_bucket{le="0.1",engine="0"} 2
vllm:time_to_first_token_seconds_bucket{le="+Inf",engine="0"} 5
vllm:time_to_first_token_seconds_sum{engine="0"} 1.5e-1
vllm:time_to_first_token_seconds_count{engine="0"} 5
odd_label{path="a \\"quoted\\" \\\\ back\\nslash", other = "x" ,} NaN
inf_gauge +Inf
neg_gauge -Inf
this line is not valid
bad_value{a="b"} 0x10
`;

describe('parsePrometheusText', () => {
  const parsed = parsePrometheusText(TEXT);

  it('reads names, labels, values and timestamps', () => {
    expect(parsed.samples[0]).toEqual({name: 'vllm:num_requests_running', labels: {engine: '0', model_name: 'm'}, value: 3});
    expect(parsed.samples[1]!.timestampMs).toBe(1700000000000);
    expect(parsed.samples.find((s) => s.name === 'vllm:time_to_first_token_seconds_sum')!.value).toBeCloseTo(0.15);
    expect(parsed.samples.find((s) => s.labels.le === '+Inf')!.value).toBe(5);
  });

  it('unescapes label values, allows spaces and a trailing comma, and reads NaN and infinities', () => {
    const odd = parsed.samples.find((s) => s.name === 'odd_label')!;
    expect(odd.labels).toEqual({path: 'a "quoted" \\ back\nslash', other: 'x'});
    expect(odd.value).toBeNaN();
    expect(parsed.samples.find((s) => s.name === 'inf_gauge')!.value).toBe(Infinity);
    expect(parsed.samples.find((s) => s.name === 'neg_gauge')!.value).toBe(-Infinity);
  });

  it('lists malformed lines instead of throwing, and keeps the rest', () => {
    expect(parsed.malformed).toEqual([expect.stringMatching(/^line 13: /), expect.stringMatching(/^line 14: bad value 0x10/)]);
    expect(parsed.samples).toHaveLength(9);
  });

  it('keeps TYPE and HELP per family', () => {
    expect(parsed.types.get('vllm:time_to_first_token_seconds')).toBe('histogram');
    expect(parsed.help.get('vllm:num_requests_running')).toBe('Number of requests in model execution batches.');
    expect(familyName('vllm:time_to_first_token_seconds_bucket', parsed.types)).toBe('vllm:time_to_first_token_seconds');
  });

  it('sums per-engine series, optionally filtered by labels', () => {
    expect(sumSeries(parsed.samples, 'vllm:num_requests_running')).toBe(7);
    expect(sumSeries(parsed.samples, 'vllm:num_requests_running', {engine: '1'})).toBe(4);
    expect(sumSeries(parsed.samples, 'vllm:num_requests_running', {model_name: 'other'})).toBeUndefined();
  });

  it('writes back what it read (round trip), with each family together', () => {
    const text = formatPrometheusText(parsed);
    const again = parsePrometheusText(text);
    expect(again.malformed).toEqual([]);
    expect(again.samples).toEqual(parsed.samples);
    expect(text.match(/# TYPE vllm:time_to_first_token_seconds histogram/g)).toHaveLength(1);
  });
});
