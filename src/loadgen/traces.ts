// Request traces replayed as open-loop schedules: Mooncake JSONL (FAST'25 release) and the Azure LLM inference
// CSVs (2023). Times become seconds from the first request of the trace; the rows carry the lengths to replay.
import {readFileSync} from 'node:fs';
import {extname} from 'node:path';
import {badInput} from '../errors/errors.js';
import type {PlannedRequest, Schedule} from './schedule.js';

export type TraceFormat = 'mooncake' | 'azure';

/**
 * How to replay a trace. The window (`startS`, `durationS`) is in the trace's own seconds, counted from its first
 * request, and is cut before scaling; `limit` then keeps the window's first requests. The replayed send time of a
 * request at trace time t is (t - startS) * timeScale, or (t - startS) / rateScale: the two are the same knob seen
 * from the gaps or from the rate, so at most one may be given.
 */
export interface TraceOptions {
  /** Multiply every gap: 0.5 replays twice as fast. */
  timeScale?: number;
  /** Multiply the request rate: 2 sends twice as many requests per second (every gap halved). */
  rateScale?: number;
  /** Skip the requests before this trace time, seconds. */
  startS?: number;
  /** Keep the requests before startS + durationS, trace seconds. */
  durationS?: number;
  /** Keep at most this many requests. */
  limit?: number;
}

interface TraceRow {
  /** Trace time, seconds from any fixed origin. */
  atS: number;
  isl: number;
  osl: number;
  hashIds?: number[];
}

/** Read a trace, telling the format from the extension (.jsonl: Mooncake, .csv: Azure) unless `format` says. */
export function readTrace(path: string, options: TraceOptions & {format?: TraceFormat} = {}): Schedule {
  const format = options.format ?? formatOf(path);
  return format === 'mooncake' ? readMooncakeTrace(path, options) : readAzureTrace(path, options);
}

export function readMooncakeTrace(path: string, options: TraceOptions = {}): Schedule {
  return parseMooncakeTrace(readText(path), path, options);
}

export function readAzureTrace(path: string, options: TraceOptions = {}): Schedule {
  return parseAzureTrace(readText(path), path, options);
}

const MOONCAKE_HINT = 'Each line must be a JSON object {"timestamp": ms, "input_length": tokens, "output_length": tokens, "hash_ids": [block ids]} (Mooncake trace format).';

/** Parse Mooncake JSONL text; `source` names the file in errors. */
export function parseMooncakeTrace(text: string, source: string, options: TraceOptions = {}): Schedule {
  const rows: TraceRow[] = [];
  forEachLine(text, (line, lineNo) => {
    const fail = (problem: string) => malformed(source, lineNo, problem, MOONCAKE_HINT);
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      throw fail('not valid JSON');
    }
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw fail('not a JSON object');
    const {timestamp, input_length: isl, output_length: osl, hash_ids: hashIds} = entry as Record<string, unknown>;
    if (typeof timestamp !== 'number' || !(timestamp >= 0) || !Number.isFinite(timestamp)) throw fail(`timestamp must be a non-negative number of ms, got ${JSON.stringify(timestamp)}`);
    if (!isPositiveInteger(isl)) throw fail(`input_length must be a positive integer, got ${JSON.stringify(isl)}`);
    if (!isPositiveInteger(osl)) throw fail(`output_length must be a positive integer, got ${JSON.stringify(osl)}`);
    const row: TraceRow = {atS: timestamp / 1000, isl, osl};
    if (hashIds !== undefined) {
      if (!Array.isArray(hashIds) || !hashIds.every((id) => Number.isInteger(id) && id >= 0)) throw fail('hash_ids must be an array of non-negative integers');
      row.hashIds = hashIds as number[];
    }
    rows.push(row);
  });
  return toSchedule(rows, source, options);
}

const AZURE_HEADER = 'timestamp,contexttokens,generatedtokens';
const AZURE_HINT = 'Rows must be TIMESTAMP,ContextTokens,GeneratedTokens, e.g. 2023-11-16 18:15:46.6805900,374,44 (Azure LLM inference trace format).';
const AZURE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?Z?$/;

/** Parse Azure LLM inference CSV text; timestamps have no zone and are read as UTC, keeping every fractional digit. */
export function parseAzureTrace(text: string, source: string, options: TraceOptions = {}): Schedule {
  const rows: TraceRow[] = [];
  let header = true;
  // Whole seconds since the epoch are ~1.7e9: subtracting the first row's before adding the fraction keeps 100 ns.
  let originS: number | undefined;
  forEachLine(text, (line, lineNo) => {
    const fail = (problem: string) => malformed(source, lineNo, problem, AZURE_HINT);
    const fields = line.split(',').map((field) => field.trim());
    if (header) {
      if (fields.join(',').toLowerCase() !== AZURE_HEADER) throw fail('not the header TIMESTAMP,ContextTokens,GeneratedTokens');
      header = false;
      return;
    }
    if (fields.length !== 3) throw fail(`${fields.length} fields where 3 were expected`);
    const time = parseUtc(fields[0]!);
    if (!time) throw fail(`TIMESTAMP ${JSON.stringify(fields[0])} is not a date and time like 2023-11-16 18:15:46.6805900`);
    const [isl, osl] = [fields[1]!, fields[2]!].map((field) => (/^\d+$/.test(field) ? Number(field) : NaN));
    if (!isPositiveInteger(isl)) throw fail(`ContextTokens must be a positive integer, got ${JSON.stringify(fields[1])}`);
    if (!isPositiveInteger(osl)) throw fail(`GeneratedTokens must be a positive integer, got ${JSON.stringify(fields[2])}`);
    originS ??= time.wholeS;
    rows.push({atS: time.wholeS - originS + time.fractionS, isl, osl});
  });
  return toSchedule(rows, source, options);
}

function parseUtc(text: string): {wholeS: number; fractionS: number} | undefined {
  const match = AZURE_TIME.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(ms);
  // Date.UTC rolls 2023-02-30 over into March; a date that does not round-trip is not a real one.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || date.getUTCHours() !== hour || date.getUTCMinutes() !== minute || date.getUTCSeconds() !== second) return undefined;
  return {wholeS: ms / 1000, fractionS: Number(`0${match[7] ?? ''}`)};
}

function toSchedule(rows: TraceRow[], source: string, options: TraceOptions): Schedule {
  const factor = timeFactor(options);
  const startS = options.startS ?? 0;
  const endS = startS + (options.durationS ?? Infinity);
  if (rows.length === 0) throw badInput(`${source} holds no requests.`, 'Point at a trace file with at least one request.', 'E_EMPTY_TRACE');
  // Replay in time order even if the file is not sorted; the sort is stable, so ties keep file order.
  const ordered = rows.toSorted((a, b) => a.atS - b.atS);
  const originS = ordered[0]!.atS;
  const inWindow = ordered.filter((row) => row.atS - originS >= startS && row.atS - originS < endS).slice(0, options.limit ?? Infinity);
  if (inWindow.length === 0) {
    throw badInput(`${source} has no requests between ${startS} s and ${endS} s of trace time.`, 'Widen the window (start, duration); times count from the first request of the trace.', 'E_EMPTY_TRACE');
  }
  return inWindow.map((row, index): PlannedRequest => ({
    index,
    sendAtS: (row.atS - originS - startS) * factor,
    isl: row.isl,
    osl: row.osl,
    ...(row.hashIds ? {hashIds: row.hashIds} : {}),
  }));
}

function timeFactor(options: TraceOptions): number {
  const {timeScale, rateScale, startS, durationS, limit} = options;
  if (timeScale !== undefined && rateScale !== undefined) {
    throw badInput('Give a time scale or a rate scale, not both.', 'A rate scale of 2 is the same as a time scale of 0.5.', 'E_BAD_TRACE_OPTIONS');
  }
  for (const [name, value] of [['time scale', timeScale], ['rate scale', rateScale], ['trace duration', durationS]] as const) {
    if (value !== undefined && !(value > 0 && Number.isFinite(value))) throw badInput(`The ${name} must be a positive number, got ${value}.`, 'Scales multiply gaps or rates (1 replays as recorded); durations are seconds.', 'E_BAD_TRACE_OPTIONS');
  }
  if (startS !== undefined && !(startS >= 0 && Number.isFinite(startS))) throw badInput(`The trace start must be a non-negative number of seconds, got ${startS}.`, 'Give the offset from the first request of the trace, in seconds.', 'E_BAD_TRACE_OPTIONS');
  if (limit !== undefined && !isPositiveInteger(limit)) throw badInput(`The request limit must be a positive integer, got ${limit}.`, 'Give how many requests of the trace to replay.', 'E_BAD_TRACE_OPTIONS');
  return timeScale ?? 1 / (rateScale ?? 1);
}

function formatOf(path: string): TraceFormat {
  const extension = extname(path).toLowerCase();
  if (extension === '.jsonl' || extension === '.json') return 'mooncake';
  if (extension === '.csv') return 'azure';
  throw badInput(`Cannot tell the trace format of ${path} from its extension.`, 'Use .jsonl for Mooncake traces and .csv for Azure traces, or name the format.', 'E_BAD_TRACE_OPTIONS');
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw badInput(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`, 'Check the path and its permissions.', 'E_FILE_UNREADABLE');
  }
}

/** Call `visit` with each non-blank line (without its CR) and its 1-based line number. */
function forEachLine(text: string, visit: (line: string, lineNo: number) => void): void {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() !== '') visit(line, i + 1);
  }
}

function malformed(source: string, lineNo: number, problem: string, hint: string) {
  return badInput(`${source} line ${lineNo}: ${problem}.`, hint, 'E_MALFORMED_TRACE');
}

function isPositiveInteger(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1;
}
