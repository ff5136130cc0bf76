import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {FrontierChart} from '../../src/tui/FrontierChart.js';

const frontier = {
  axis: 'ttft' as const,
  points: [
    {targetMs: 50, throughputPerGpu: null, totalGpus: null},
    {targetMs: 100, throughputPerGpu: 500, totalGpus: 6},
    {targetMs: 200, throughputPerGpu: 1000, totalGpus: 3},
  ],
  pending: 0,
};

describe('FrontierChart', () => {
  it('a legend naming every glyph, the plot with the operating point, and both axes labelled', () => {
    const {lastFrame} = render(<FrontierChart frontier={frontier} current={{targetMs: 100, throughputPerGpu: 500}} percentile="p95" width={60} height={5} />);
    const lines = lastFrame()!.split('\n').map((line) => line.trimEnd());
    expect(lines[0]).toBe('Frontier (tok/s/GPU)  * sized  x infeasible  @ now');
    expect(lines[1]).toMatch(/^ {1}1000 \|\s+\*$/);
    expect(lines[3]).toMatch(/^ {2}500 \|\s+@ now 500$/);
    expect(lines[5]).toMatch(/^ {4}0 \|x$/);
    expect(lines[6]).toMatch(/^ {6}\+-+$/);
    expect(lines[7]).toMatch(/^ {7}50\.0 ms\s+TTFT p95 target \(log\)\s+200 ms$/);
    expect(lines).toHaveLength(8);
  });

  it('says when points of the sweep are still being sized', () => {
    const {lastFrame} = render(<FrontierChart frontier={{...frontier, pending: 4}} current={null} percentile="p90" width={80} height={4} />);
    expect(lastFrame()!.split('\n')[0]).toBe('Frontier (tok/s/GPU)  * sized  x infeasible  @ now  sizing 4 more...');
  });
});
