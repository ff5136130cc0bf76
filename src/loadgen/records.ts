// The per-request results of a run, one JSON line each (schemas/bench-record.schema.json), appended as each request
// completes so an interrupted run keeps everything it finished and can be resumed or analysed later.
import {closeSync, existsSync, ftruncateSync, openSync, readFileSync, readSync, fstatSync, writeSync} from 'node:fs';
import type {ErrorKind} from '../engine/types.js';
import {badInput} from '../errors/errors.js';
import {validateWith} from '../schema/validator.js';

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

/**
 * Appends records to a JSONL file. Each record is one write of one whole line to a descriptor opened once in
 * append mode, so a crash loses at most the line being written. Opening an existing file first cuts a partial
 * last line left by such a crash, so the next record starts on a line of its own.
 */
export class RecordWriter {
  readonly #fd: number;

  constructor(readonly path: string) {
    try {
      dropPartialLastLine(path);
      this.#fd = openSync(path, 'a');
    } catch (error) {
      throw badInput(`Cannot write records to ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`, 'Check that the folder exists and is writable.', 'E_FILE_UNWRITABLE');
    }
  }

  append(record: BenchRecord): void {
    const line = Buffer.from(JSON.stringify(record) + '\n');
    for (let written = 0; written < line.length; ) written += writeSync(this.#fd, line, written);
  }

  close(): void {
    closeSync(this.#fd);
  }
}

/**
 * The records of a JSONL file, each checked against the schema. A last line without its newline is a write a
 * crash interrupted (the writer ends every record with one), so it is ignored; any other bad line is an error.
 */
export function readRecords(path: string): BenchRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw badInput(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`, 'Check the path and its permissions.', 'E_FILE_UNREADABLE');
  }
  const lines = text.split('\n');
  lines.pop(); // '' after the final newline, or the interrupted last line
  const records: BenchRecord[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch {
      throw badInput(`${path} line ${i + 1}: not valid JSON.`, 'Each line must be one JSON record; fix or remove the line.', 'E_FILE_MALFORMED');
    }
    records.push(validateWith<BenchRecord>(BENCH_RECORD_SCHEMA, data, `${path} line ${i + 1}`));
  });
  return records;
}

const TAIL_CHUNK = 64 * 1024;

function dropPartialLastLine(path: string): void {
  if (!existsSync(path)) return;
  const fd = openSync(path, 'r+');
  try {
    const size = fstatSync(fd).size;
    const chunk = Buffer.alloc(TAIL_CHUNK);
    // Scan back from the end for the last newline; everything after it is the partial line.
    for (let end = size; end > 0; end -= TAIL_CHUNK) {
      const start = Math.max(0, end - TAIL_CHUNK);
      readSync(fd, chunk, 0, end - start, start);
      const newline = chunk.subarray(0, end - start).lastIndexOf(0x0a);
      if (newline >= 0) {
        if (start + newline + 1 < size) ftruncateSync(fd, start + newline + 1);
        return;
      }
    }
    ftruncateSync(fd, 0);
  } finally {
    closeSync(fd);
  }
}
