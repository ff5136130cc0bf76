import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/** A Mooncake JSONL trace of the given requests (seconds, tokens) written to a fresh temporary directory. */
export function writeTrace(requests: readonly {atS: number; isl: number; osl: number}[], name = 'trace.jsonl'): string {
  const dir = mkdtempSync(join(tmpdir(), 'replay-'));
  const path = join(dir, name);
  writeFileSync(path, requests.map((r) => JSON.stringify({timestamp: Math.round(r.atS * 1000), input_length: r.isl, output_length: r.osl})).join('\n') + '\n');
  return path;
}

/** `rate` requests per second, evenly spaced, over [startS, endS). */
export function steady(rate: number, startS: number, endS: number, isl: number, osl: number): {atS: number; isl: number; osl: number}[] {
  const count = Math.round((endS - startS) * rate);
  return Array.from({length: count}, (_, i) => ({atS: startS + i / rate, isl, osl}));
}

export const ALL = ['static-peak', 'throughput', 'dynamo-sla', 'dynamo-plan'];
