// The per-request results of a run, one JSON line each (schemas/bench-record.schema.json), appended as each request
// completes so an interrupted run keeps everything it finished and can be resumed or analysed later.
import type {ErrorKind} from '../engine/types.js';
import {JsonlAppender, readJsonl} from '../util/jsonl.js';

/** Times are seconds from the start of the run. */
export interface BenchRecord {
  index: number;
  intended_send_s: number;
  actual_send_s: number;
  first_chunk_s: number | null;
  first_token_s: number | null;
  token_times_s: number[];
  end_s: number;
  prompt_tokens: number | null;
  output_tokens: number;
  output_tokens_source: 'usage' | 'counted';
  error_kind: ErrorKind | null;
  error_message: string | null;
}

export const BENCH_RECORD_SCHEMA = 'bench-record.schema.json';

/** Appends records to a JSONL file as they complete; a crash loses at most the line being written. */
export class RecordWriter extends JsonlAppender<BenchRecord> {}

/** The records of a JSONL file, each checked against the schema; a line a crash cut off is ignored. */
export function readRecords(path: string): BenchRecord[] {
  return readJsonl<BenchRecord>(path, BENCH_RECORD_SCHEMA);
}
