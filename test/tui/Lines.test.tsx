import {Box} from 'ink';
import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {Lines} from '../../src/tui/Lines.js';

describe('Lines', () => {
  it('prints each line on its own row, cut at the box edge instead of wrapped', () => {
    const frame = render(
      <Box flexDirection="column" width={10}>
        <Lines lines={['short', 'a line far wider than ten columns']} />
      </Box>,
    ).lastFrame()!;
    const rows = frame.split('\n');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.trimEnd()).toBe('short');
    expect(rows[1]!.length).toBeLessThanOrEqual(10);
    expect(rows[1]!.startsWith('a line')).toBe(true);
  });
});
