import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {HelpLine} from '../../src/tui/HelpLine.js';
import {HELP_LINES} from '../../src/tui/keys.js';

describe('HelpLine', () => {
  it('prints the key help it is given, as one line', () => {
    expect(render(<HelpLine text={HELP_LINES[1]} />).lastFrame()).toBe(HELP_LINES[1]);
  });
});
