// Reading the queue model's detail out of Prometheus answers: a range query's series, a histogram's buckets, and the
// buckets as equal-weight quantile points (linear inside a bucket, as histogram_quantile reads them).
import {describe, expect, it} from 'vitest';
import {lengthsFromBuckets, parseBuckets, parseRangeValues} from '../../../src/planner/observe/prometheus-detail.js';

const answer = (resultType: string, result: unknown) => JSON.stringify({status: 'success', data: {resultType, result}});

describe('ISL histogram as quantile points', () => {
  it('spreads the points linearly inside each bucket, half in each of two equal buckets', () => {
    const points = lengthsFromBuckets([{le: 100, count: 0}, {le: 200, count: 50}, {le: 500, count: 100}, {le: Infinity, count: 100}], 120, 4);
    // Ranks 12.5, 37.5 of 50 in (100, 200]; 62.5, 87.5 in (200, 500].
    expect(points).toEqual([{isl: 125, osl: 120}, {isl: 175, osl: 120}, {isl: 275, osl: 120}, {isl: 425, osl: 120}]);
  });

  it('reads the lowest bucket from 0 and the +Inf bucket at the highest finite bound; nothing counted gives no points', () => {
    const points = lengthsFromBuckets([{le: 1000, count: 10}, {le: Infinity, count: 20}], 50, 2);
    expect(points).toEqual([{isl: 500, osl: 50}, {isl: 1000, osl: 50}]);
    expect(lengthsFromBuckets([{le: 100, count: 0}, {le: Infinity, count: 0}], 50)).toEqual([]);
  });
});

describe('Prometheus answers', () => {
  it('a range query: the single series\' values, oldest first, negative extrapolations at 0', () => {
    expect(parseRangeValues(answer('matrix', [{metric: {}, values: [[1, '2.5'], [6, '-0.1'], [11, '4']]}]))).toEqual({ok: true, values: [2.5, 0, 4]});
    expect(parseRangeValues(answer('matrix', []))).toEqual({ok: true, values: undefined});
    expect(parseRangeValues(answer('matrix', [{values: []}, {values: []}]))).toMatchObject({ok: false, error: expect.stringMatching(/2 series, not one/)});
    expect(parseRangeValues('<html>')).toMatchObject({ok: false, error: expect.stringMatching(/not JSON/)});
  });

  it('a histogram by le: buckets ascending with +Inf last; series without le are an error', () => {
    const buckets = answer('vector', [{metric: {le: '+Inf'}, value: [1, '9']}, {metric: {le: '10'}, value: [1, '3']}, {metric: {le: '100'}, value: [1, '8']}]);
    expect(parseBuckets(buckets)).toEqual({ok: true, buckets: [{le: 10, count: 3}, {le: 100, count: 8}, {le: Infinity, count: 9}]});
    expect(parseBuckets(answer('vector', [{metric: {}, value: [1, '9']}]))).toMatchObject({ok: false, error: expect.stringMatching(/sum by \(le\)/)});
    expect(parseBuckets(JSON.stringify({status: 'error', error: 'bad query'}))).toEqual({ok: false, error: 'Prometheus refused the query: bad query'});
  });
});
