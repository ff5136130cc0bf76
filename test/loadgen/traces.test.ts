import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {parseAzureTrace, parseMooncakeTrace, readAzureTrace, readMooncakeTrace, readTrace} from '../../src/loadgen/traces.js';
import {thrown} from './thrown.js';

const traces = fileURLToPath(new URL('../../../shared/reference/traces/', import.meta.url));

describe('Azure LLM inference traces', () => {
  it('reads every row of the 2023 conversation trace, times relative to the first, parsed as UTC to 100 ns', () => {
    const schedule = readAzureTrace(`${traces}azure_llm_2023_conv.csv`);
    expect(schedule).toHaveLength(19_366);
    expect(schedule[0]).toEqual({index: 0, sendAtS: 0, isl: 374, osl: 44});
    // 2023-11-16 18:15:50.9951690 - 18:15:46.6805900
    expect(schedule[1]!.sendAtS).toBeCloseTo(4.314579, 6);
    // Last row 19:14:08.4025270: 58 min 21.7219370 s after the first.
    expect(schedule.at(-1)).toMatchObject({index: 19_365, isl: 197, osl: 183});
    expect(schedule.at(-1)!.sendAtS).toBeCloseTo(3501.721937, 6);
    expect(Math.max(...schedule.map((r) => r.isl))).toBe(14_050);
  });

  it('reads the 2023 code trace', () => {
    const schedule = readTrace(`${traces}azure_llm_2023_code.csv`);
    expect(schedule).toHaveLength(8_819);
    expect(schedule[0]).toEqual({index: 0, sendAtS: 0, isl: 4808, osl: 10});
    expect(schedule[1]!.sendAtS).toBeCloseTo(0.052, 6);
    expect(Math.max(...schedule.map((r) => r.osl))).toBe(1_899);
  });

  it('names the file and line of a malformed row, with a hint', () => {
    const header = 'TIMESTAMP,ContextTokens,GeneratedTokens\n';
    const cases: [string, RegExp][] = [
      ['2023-11-16 18:15:46.1,374,44\n2023-11-16 18:15:47,abc,1\n', /x\.csv line 3: ContextTokens/],
      ['2023-11-16 18:15:46.1,374\n', /x\.csv line 2: 2 fields/],
      ['2023-02-30 18:15:46.1,374,44\n', /x\.csv line 2: TIMESTAMP/],
      ['yesterday,374,44\n', /line 2: TIMESTAMP "yesterday"/],
      ['2023-11-16 18:15:46.1,374,0\n', /line 2: GeneratedTokens/],
    ];
    for (const [rows, message] of cases) {
      const error = thrown(() => parseAzureTrace(header + rows, 'x.csv'));
      expect(error).toMatchObject({exitCode: 3, code: 'E_MALFORMED_TRACE', message: expect.stringMatching(message), hint: expect.stringMatching(/TIMESTAMP,ContextTokens,GeneratedTokens/)});
    }
    expect(() => parseAzureTrace('time,in,out\n', 'x.csv')).toThrow(/x\.csv line 1: not the header/);
  });

  it('accepts CRLF line ends and a byte-order mark, and sorts rows by time', () => {
    const text = '\uFEFFTIMESTAMP,ContextTokens,GeneratedTokens\r\n2023-11-16 18:15:47.5,20,2\r\n2023-11-16 18:15:46.25,10,1\r\n';
    expect(parseAzureTrace(text, 'x.csv')).toEqual([
      {index: 0, sendAtS: 0, isl: 10, osl: 1},
      {index: 1, sendAtS: 1.25, isl: 20, osl: 2},
    ]);
  });

  it('rejects a trace without requests', () => {
    expect(thrown(() => parseAzureTrace('TIMESTAMP,ContextTokens,GeneratedTokens\n', 'empty.csv'))).toMatchObject({code: 'E_EMPTY_TRACE', message: expect.stringMatching(/empty\.csv holds no requests/)});
  });
});

describe('Mooncake traces', () => {
  it('reads the conversation trace with its hash ids (512-token blocks)', () => {
    const schedule = readMooncakeTrace(`${traces}mooncake_conversation_trace.jsonl`);
    expect(schedule).toHaveLength(12_031);
    expect(schedule[0]).toEqual({index: 0, sendAtS: 0, isl: 6758, osl: 500, hashIds: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]});
    expect(schedule.at(-1)!.sendAtS).toBeCloseTo(3536.999, 9);
    for (const request of schedule) expect(request.hashIds).toHaveLength(Math.ceil(request.isl / 512));
  });

  it('reads the synthetic trace', () => {
    const schedule = readTrace(`${traces}mooncake_synthetic_trace.jsonl`);
    expect(schedule).toHaveLength(3_993);
    expect(schedule.at(-1)!.sendAtS).toBeCloseTo(1022.025, 9);
  });

  it('names the file and line of a malformed line, with a hint', () => {
    const good = '{"timestamp": 0, "input_length": 600, "output_length": 5, "hash_ids": [0, 1]}\n';
    const cases: [string, RegExp][] = [
      ['{"timestamp": 5, "input_length": 600\n', /m\.jsonl line 3: not valid JSON/],
      ['[1, 2]\n', /line 3: not a JSON object/],
      ['{"timestamp": "5", "input_length": 1, "output_length": 1}\n', /line 3: timestamp/],
      ['{"timestamp": 5, "input_length": 0, "output_length": 1}\n', /line 3: input_length/],
      ['{"timestamp": 5, "input_length": 1}\n', /line 3: output_length/],
      ['{"timestamp": 5, "input_length": 1, "output_length": 1, "hash_ids": [-1]}\n', /line 3: hash_ids/],
    ];
    for (const [line, message] of cases) {
      // A blank line still counts, so the bad line is line 3.
      expect(thrown(() => parseMooncakeTrace(`${good}\n${line}`, 'm.jsonl'))).toMatchObject({exitCode: 3, message: expect.stringMatching(message), hint: expect.stringMatching(/Mooncake/)});
    }
    expect(() => parseMooncakeTrace('\n\n', 'm.jsonl')).toThrow(/m\.jsonl holds no requests/);
  });

  it('reports an unreadable file and an unknown extension as bad input', () => {
    expect(thrown(() => readMooncakeTrace(`${traces}nope.jsonl`))).toMatchObject({code: 'E_FILE_UNREADABLE', message: expect.stringMatching(/ENOENT/)});
    expect(() => readTrace('trace.parquet')).toThrow(/extension/);
  });
});

describe('replay options', () => {
  // Requests at trace times 0, 1, 2, ..., 9 s.
  const text = Array.from({length: 10}, (_, i) => JSON.stringify({timestamp: 1000 * (100 + i), input_length: 10 + i, output_length: 1})).join('\n');
  const times = (options: object) => parseMooncakeTrace(text, 't.jsonl', options).map((r) => r.sendAtS);

  it('time scale multiplies the gaps; rate scale multiplies the rate (divides the gaps)', () => {
    expect(times({})).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(times({timeScale: 0.5})).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5]);
    expect(times({rateScale: 2})).toEqual(times({timeScale: 0.5}));
    expect(times({rateScale: 0.5})).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(() => times({timeScale: 0.5, rateScale: 2})).toThrow(/not both/);
    expect(() => times({timeScale: 0})).toThrow(/time scale must be a positive/);
  });

  it('a window in trace seconds is cut before scaling and keeps the gap from its start', () => {
    const window = parseMooncakeTrace(text, 't.jsonl', {startS: 2.5, durationS: 4, timeScale: 2});
    // Trace times 3, 4, 5, 6 (in [2.5, 6.5)), re-indexed from 0, sent at (t - 2.5) * 2.
    expect(window.map((r) => [r.index, r.sendAtS, r.isl])).toEqual([[0, 1, 13], [1, 3, 14], [2, 5, 15], [3, 7, 16]]);
  });

  it('limit keeps the first requests of the window', () => {
    expect(times({startS: 5, limit: 2})).toEqual([0, 1]);
    expect(times({limit: 3})).toEqual([0, 1, 2]);
    expect(() => times({limit: 0})).toThrow(/limit/);
  });

  it('an empty window is an error that says where the times count from', () => {
    expect(thrown(() => times({startS: 100}))).toMatchObject({code: 'E_EMPTY_TRACE', hint: expect.stringMatching(/first request/)});
  });

  it('scales the real trace consistently', () => {
    const asRecorded = readAzureTrace(`${traces}azure_llm_2023_code.csv`, {limit: 100});
    const doubled = readAzureTrace(`${traces}azure_llm_2023_code.csv`, {limit: 100, rateScale: 2});
    doubled.forEach((request, i) => expect(request.sendAtS).toBeCloseTo(asRecorded[i]!.sendAtS / 2, 9));
  });
});
