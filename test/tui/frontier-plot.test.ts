import {describe, expect, it} from 'vitest';
import {niceCeiling, plotFrontier} from '../../src/tui/frontier-plot.js';

const frontier = {
  axis: 'itl' as const,
  points: [
    {targetMs: 4, throughputPerGpu: null, totalGpus: null},
    {targetMs: 8, throughputPerGpu: 400, totalGpus: 4},
    {targetMs: 16, throughputPerGpu: 800, totalGpus: 2},
  ],
  pending: 0,
};

describe('plotFrontier', () => {
  it('draws sized points, infeasible ones on the floor, the current point with a label, and labelled axes', () => {
    const lines = plotFrontier(frontier, {targetMs: 8, throughputPerGpu: 400}, {width: 40, height: 5}, 'ITL p90 target');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toMatch(/^ {2}800 \|\s+\*$/);
    expect(lines[2]).toMatch(/^ {2}400 \|\s+@ now 400$/);
    expect(lines[4]).toMatch(/^ {4}0 \|x$/);
    expect(lines[5]).toBe(`      +${'-'.repeat(33)}`);
    expect(lines[6]).toMatch(/^ {7}4\.00 ms\s+ITL p90 target\s+16\.0 ms$/);
    // Log scale: 8 ms sits halfway between 4 and 16.
    expect(lines[2]!.indexOf('@') - 7).toBe(16);
  });

  it('an infeasible current point sits on the floor, labelled as such; a label near the right edge goes left', () => {
    const floor = plotFrontier(frontier, {targetMs: 4, throughputPerGpu: null}, {width: 40, height: 4}, 'ITL');
    expect(floor[3]).toContain('@ now: infeasible');
    const right = plotFrontier(frontier, {targetMs: 16, throughputPerGpu: 800}, {width: 40, height: 4}, 'ITL');
    expect(right[0]).toMatch(/now 800 @$/);
  });

  it('a label never hides a point: next to one, it moves to the row above', () => {
    const crowded = {...frontier, points: [{targetMs: 4.2, throughputPerGpu: null, totalGpus: null}, ...frontier.points]};
    const lines = plotFrontier(crowded, {targetMs: 4, throughputPerGpu: null}, {width: 40, height: 4}, 'ITL');
    expect(lines[3]).toMatch(/^ {4}0 \|@x+$/);
    expect(lines[2]).toMatch(/^ {6}\|now: infeasible$/);
  });

  it('rounds the y axis up to a nice value', () => {
    expect([niceCeiling(750), niceCeiling(1071), niceCeiling(100), niceCeiling(0.3)]).toEqual([800, 1500, 100, 0.3]);
  });
});
