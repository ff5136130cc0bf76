import {appendFileSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import type {ErrorKind} from '../../src/engine/types.js';
import {readRecords, RecordWriter} from '../../src/loadgen/records.js';
import {schemaValidator} from '../../src/schema/validator.js';
import {record} from './record-fixture.js';
import {thrown} from './thrown.js';

const freshPath = () => join(mkdtempSync(join(tmpdir(), 'loadgen-records-')), 'records.jsonl');

describe('records file', () => {
  it('appends one line per record and reads them back', () => {
    const path = freshPath();
    const writer = new RecordWriter(path);
    const written = [record(0), record(1, {error_kind: 'http_5xx', error_message: 'HTTP 503', first_chunk_s: null, first_token_s: null, token_times_s: [], output_tokens: 0, output_tokens_source: 'counted'})];
    for (const r of written) writer.append(r);
    writer.close();
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(3);
    expect(readRecords(path)).toEqual(written);
  });

  it('ignores a last line cut short by a crash, and the next writer replaces it', () => {
    const path = freshPath();
    const writer = new RecordWriter(path);
    writer.append(record(0));
    writer.append(record(1));
    writer.close();
    appendFileSync(path, JSON.stringify(record(2)).slice(0, 40));
    expect(readRecords(path).map((r) => r.index)).toEqual([0, 1]);

    const resumed = new RecordWriter(path);
    resumed.append(record(2));
    resumed.close();
    expect(readRecords(path).map((r) => r.index)).toEqual([0, 1, 2]);
  });

  it('cuts a partial line longer than the tail it scans at a time, or a file that is all partial line', () => {
    const path = freshPath();
    writeFileSync(path, JSON.stringify(record(0)) + '\n' + 'x'.repeat(200_000));
    new RecordWriter(path).close();
    expect(readFileSync(path, 'utf8')).toBe(JSON.stringify(record(0)) + '\n');
    writeFileSync(path, 'y'.repeat(100_000));
    new RecordWriter(path).close();
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('reports a bad line in the middle with its number', () => {
    const path = freshPath();
    writeFileSync(path, `${JSON.stringify(record(0))}\n{oops\n${JSON.stringify(record(2))}\n`);
    expect(thrown(() => readRecords(path))).toMatchObject({exitCode: 3, message: expect.stringMatching(/records\.jsonl line 2: not valid JSON/)});
    writeFileSync(path, `${JSON.stringify(record(0))}\n${JSON.stringify({...record(1), extra: 1})}\n`);
    expect(thrown(() => readRecords(path))).toMatchObject({code: 'E_SCHEMA_INVALID', message: expect.stringMatching(/line 2/)});
  });

  it('reports unreadable and unwritable paths as bad input', () => {
    expect(thrown(() => readRecords('/nonexistent/records.jsonl'))).toMatchObject({code: 'E_FILE_UNREADABLE'});
    expect(thrown(() => new RecordWriter('/nonexistent/dir/records.jsonl'))).toMatchObject({code: 'E_FILE_UNWRITABLE'});
  });
});

describe('schemas/bench-record.schema.json', () => {
  it('accepts records and lists every ErrorKind', () => {
    const validate = schemaValidator('bench-record.schema.json');
    expect(validate(record(0))).toBe(true);
    // Record<ErrorKind, true> fails to compile if a kind is missing here, and the schema must list the same kinds.
    const kinds: Record<ErrorKind, true> = {
      connection_refused: true, dns: true, connect_timeout: true, http_4xx: true, http_429: true, http_5xx: true, in_band_error: true,
      disconnected: true, stalled: true, malformed_stream: true, grpc_status: true, aborted: true, other: true,
    };
    const schema = JSON.parse(readFileSync(new URL('../../schemas/bench-record.schema.json', import.meta.url), 'utf8')) as {definitions: {errorKind: {enum: string[]}}};
    expect(schema.definitions.errorKind.enum.toSorted()).toEqual(Object.keys(kinds).toSorted());
    for (const kind of Object.keys(kinds)) expect(validate(record(0, {error_kind: kind as ErrorKind, error_message: 'x'}))).toBe(true);
    expect(validate({...record(0), error_kind: 'gremlins'})).toBe(false);
    expect(validate({...record(0), output_tokens_source: 'guessed'})).toBe(false);
  });
});
