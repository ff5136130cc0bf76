import {describe, expect, it} from 'vitest';
import {HELP_LINES} from '../../src/tui/keys.js';
import {screenLayout} from '../../src/tui/layout.js';

describe('screenLayout', () => {
  it('80x24: inputs beside results, an 8-row frontier, the compact help, one row to spare', () => {
    const layout = screenLayout(80, 24);
    expect(layout).toMatchObject({sideBySide: true, showFrontier: true, chartHeight: 8, helpLine: HELP_LINES[1]});
    // header + panels + chart title, rows and axis + status + help
    expect(1 + 9 + 3 + layout.chartHeight + 1 + 1).toBe(23);
  });

  it('grows the frontier with the terminal, up to a limit; the full help when it fits', () => {
    expect(screenLayout(120, 30)).toMatchObject({chartHeight: 14, chartWidth: 119, helpLine: HELP_LINES[0]});
    expect(screenLayout(200, 60).chartHeight).toBe(16);
  });

  it('degrades: the frontier hides when rows run out, panels stack when columns do', () => {
    expect(screenLayout(80, 18)).toMatchObject({showFrontier: false, chartHeight: 0, sideBySide: true});
    expect(screenLayout(50, 40)).toMatchObject({sideBySide: false, fieldsWidth: 50, resultsWidth: 50, helpLine: HELP_LINES[2]});
  });
});
