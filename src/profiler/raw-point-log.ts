// raw.jsonl: every measured point, one line each, appended the moment it completes, so an interrupted sweep keeps
// everything it finished and a resumed one measures only what is missing.
import {existsSync, mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {badInput} from '../errors/errors.js';
import {JsonlAppender, readJsonl} from '../util/jsonl.js';
import type {MeasuredPoint} from './points.js';

export const RAW_POINTS_FILE = 'raw.jsonl';
export const RAW_POINT_SCHEMA = 'profile-raw-point.schema.json';

/** One line of raw.jsonl (schemas/profile-raw-point.schema.json). */
export interface RawPointLine {
  /** The engine config measured (e.g. its parallelism): one folder may hold the sweeps of several. */
  config: string;
  key: string;
  completedAt: string;
  point: MeasuredPoint;
}

/** Every line of a raw.jsonl, of every config; a last line cut short by a crash is ignored. */
export function readRawPoints(path: string): RawPointLine[] {
  return readJsonl<RawPointLine>(path, RAW_POINT_SCHEMA);
}

/**
 * The points of one engine config in `dir/raw.jsonl`: those already there (from an earlier, interrupted run) and
 * those appended through it. Other configs' lines are kept and left alone.
 */
export class RawPointLog {
  readonly path: string;
  readonly #points = new Map<string, RawPointLine>();
  readonly #appender: JsonlAppender<RawPointLine>;

  constructor(dir: string, readonly config: string) {
    if (config === '') throw badInput('The engine config key is empty.', 'Name the config, e.g. by its parallelism.');
    try {
      mkdirSync(dir, {recursive: true});
    } catch (error) {
      throw badInput(`Cannot create ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`, 'Check the path and its permissions.', 'E_FILE_UNWRITABLE');
    }
    this.path = join(dir, RAW_POINTS_FILE);
    // Read before the appender opens the file: opening cuts a partial last line, which reading skips anyway.
    if (existsSync(this.path)) {
      for (const line of readRawPoints(this.path)) if (line.config === config) this.#points.set(line.key, line);
    }
    this.#appender = new JsonlAppender(this.path);
  }

  /** True when the point is logged, measured or failed: a failed point is a result too (delete its line to retry it). */
  has(key: string): boolean {
    return this.#points.has(key);
  }

  get(key: string): RawPointLine | undefined {
    return this.#points.get(key);
  }

  /** This config's points, in the order they were logged. */
  points(): RawPointLine[] {
    return [...this.#points.values()];
  }

  /** Writes the point's line before returning, so it survives the process being killed right after. */
  append(key: string, point: MeasuredPoint): RawPointLine {
    const line: RawPointLine = {config: this.config, key, completedAt: new Date().toISOString(), point};
    this.#appender.append(line);
    this.#points.set(key, line);
    return line;
  }

  close(): void {
    this.#appender.close();
  }
}
