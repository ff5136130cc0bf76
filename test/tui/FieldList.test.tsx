import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {FieldList} from '../../src/tui/FieldList.js';
import {candidatesOf, H200_8B_FP8, input} from '../sizing/fixtures.js';

const base = input(candidatesOf(H200_8B_FP8));

describe('FieldList', () => {
  it('lists every input with its value and unit, ">" on the focused one', () => {
    const {lastFrame} = render(<FieldList input={base} focus="itl" draft={null} width={30} />);
    expect(lastFrame()!.split('\n').map((line) => line.trimEnd())).toEqual([
      'SLA and workload',
      '  TTFT p90         200 ms',
      '> ITL p90         20.0 ms',
      '  percentile       p90',
      '  ISL             3000 tok',
      '  OSL              150 tok',
      '  rate           10.00 req/s',
      '  max GPUs        none',
      '  mode            auto',
    ]);
  });

  it('shows digits being typed in brackets with a cursor', () => {
    const {lastFrame} = render(<FieldList input={base} focus="rate" draft="12.5" width={30} />);
    expect(lastFrame()).toMatch(/^> rate\s+\[12\.5_\] req\/s$/m);
  });
});
