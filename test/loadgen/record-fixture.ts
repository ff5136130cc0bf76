import type {BenchRecord} from '../../src/loadgen/records.js';

/** A completed request planned at t = index, sent 1 ms late: three tokens 20 ms apart, the first 50 ms after the plan. */
export function record(index: number, overrides: Partial<BenchRecord> = {}): BenchRecord {
  return {
    index,
    intended_send_s: index,
    actual_send_s: index + 0.001,
    first_chunk_s: index + 0.05,
    first_token_s: index + 0.05,
    token_times_s: [index + 0.05, index + 0.07, index + 0.09],
    end_s: index + 0.09,
    prompt_tokens: 128,
    output_tokens: 3,
    output_tokens_source: 'usage',
    error_kind: null,
    error_message: null,
    ...overrides,
  };
}
