// Crash-safe append-only JSONL files: bench records, profiler raw points.
import {closeSync, existsSync, fstatSync, ftruncateSync, openSync, readFileSync, readSync, writeSync} from 'node:fs';
import {badInput} from '../errors/errors.js';
import {validateWith} from '../schema/validator.js';

/**
 * Each value is one write of one whole line to a descriptor opened once in append mode, so a crash (even SIGKILL:
 * the bytes are in the kernel once writeSync returns) loses at most the line being written. Opening an existing
 * file first cuts a partial last line left by such a crash, so the next line starts on a line of its own.
 */
export class JsonlAppender<T> {
  readonly #fd: number;

  constructor(readonly path: string) {
    try {
      dropPartialLastLine(path);
      this.#fd = openSync(path, 'a');
    } catch (error) {
      throw badInput(`Cannot write to ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`, 'Check that the folder exists and is writable.', 'E_FILE_UNWRITABLE');
    }
  }

  append(value: T): void {
    const line = Buffer.from(JSON.stringify(value) + '\n');
    for (let written = 0; written < line.length; ) written += writeSync(this.#fd, line, written);
  }

  close(): void {
    closeSync(this.#fd);
  }
}

/**
 * The lines of a JSONL file, each checked against `schemas/<schemaName>`. A last line without its newline is a
 * write a crash interrupted (the appender ends every line with one), so it is ignored; any other bad line is an error.
 */
export function readJsonl<T>(path: string, schemaName: string): T[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw badInput(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`, 'Check the path and its permissions.', 'E_FILE_UNREADABLE');
  }
  const lines = text.split('\n');
  lines.pop(); // '' after the final newline, or the interrupted last line
  const values: T[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch {
      throw badInput(`${path} line ${i + 1}: not valid JSON.`, 'Each line must be one JSON object; fix or remove the line.', 'E_FILE_MALFORMED');
    }
    values.push(validateWith<T>(schemaName, data, `${path} line ${i + 1}`));
  });
  return values;
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
