import {describe, expect, it} from 'vitest';
import {meetsSlo, parseGoodput} from '../../src/loadgen/goodput.js';
import type {RequestLatencies} from '../../src/loadgen/request-latencies.js';
import {thrown} from './thrown.js';

describe('parseGoodput', () => {
  it('reads key:milliseconds pairs, comma or space separated', () => {
    expect(parseGoodput('ttft:200,itl:20,tpot:30,e2e:1000')).toEqual({ttft: 200, itl: 20, tpot: 30, e2e: 1000});
    expect(parseGoodput('ttft:200 tpot:12.5')).toEqual({ttft: 200, tpot: 12.5});
    expect(parseGoodput(' E2EL:500 ')).toEqual({e2e: 500});
  });

  it.each([
    ['', /empty/],
    ['latency:100', /Unknown goodput SLO "latency"/],
    ['ttft:abc', /"ttft:abc" needs a positive number/],
    ['ttft:-5', /positive number/],
    ['ttft:0', /positive number/],
    ['ttft:', /positive number/],
    ['ttft', /positive number/],
    ['ttft:1:2', /positive number/],
    ['ttft:1,e2el:2,e2e:3', /e2e is given twice/],
  ])('rejects %j as bad input with a hint', (text, message) => {
    expect(thrown(() => parseGoodput(text))).toMatchObject({exitCode: 3, code: 'E_BAD_GOODPUT', message: expect.stringMatching(message), hint: expect.stringMatching(/ttft:200/)});
  });
});

describe('meetsSlo', () => {
  const latencies = (overrides: Partial<RequestLatencies>): RequestLatencies => ({
    ttftS: 0.1, ttftFromActualSendS: 0.1, e2eS: 1, queueS: 0, tpotS: 0.02, itlGapsS: [0.02], meanItlS: 0.02, ...overrides,
  });

  it('holds when every given bound holds, bounds inclusive', () => {
    expect(meetsSlo(latencies({}), {ttft: 100, tpot: 20, itl: 20, e2e: 1000})).toBe(true);
    expect(meetsSlo(latencies({ttftS: 0.101}), {ttft: 100})).toBe(false);
    expect(meetsSlo(latencies({ttftS: 0.101}), {tpot: 20})).toBe(true);
    expect(meetsSlo(latencies({meanItlS: 0.03}), {itl: 20})).toBe(false);
    expect(meetsSlo(latencies({e2eS: 1.5}), {e2e: 1000})).toBe(false);
  });

  it('per-token bounds hold vacuously for single-token outputs; a TTFT bound fails without a token', () => {
    expect(meetsSlo(latencies({tpotS: null, meanItlS: null}), {tpot: 1, itl: 1})).toBe(true);
    expect(meetsSlo(latencies({ttftS: null}), {ttft: 1000})).toBe(false);
  });
});
