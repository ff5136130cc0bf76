import {Box, Text} from 'ink';
import {Lines} from './Lines.js';
import type {Percentile} from '../sizing/index.js';
import type {Frontier} from './frontier.js';
import {GLYPH_CURRENT, GLYPH_INFEASIBLE, GLYPH_POINT, type OperatingPoint, plotFrontier} from './frontier-plot.js';

export interface FrontierChartProps {
  frontier: Frontier;
  current: OperatingPoint | null;
  percentile: Percentile;
  width: number;
  /** Plot rows; the title and the x axis add three. */
  height: number;
}

const AXIS_NAMES = {ttft: 'TTFT', itl: 'ITL', e2e: 'E2E'} as const;

/** Throughput per GPU (up) against the swept latency target (across, named on the x axis), with a legend of glyphs. */
export function FrontierChart({frontier, current, percentile, width, height}: FrontierChartProps) {
  const axis = `${AXIS_NAMES[frontier.axis]} ${percentile} target`;
  const lines = plotFrontier(frontier, current, {width, height}, `${axis} (log)`);
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Text bold>Frontier</Text>
        {` (tok/s/GPU)  ${GLYPH_POINT} sized  ${GLYPH_INFEASIBLE} infeasible  ${GLYPH_CURRENT} now${frontier.pending > 0 ? `  sizing ${frontier.pending} more...` : ''}`}
      </Text>
      <Lines lines={lines} />
    </Box>
  );
}
