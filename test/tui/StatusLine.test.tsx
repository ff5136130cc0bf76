import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {StatusLine} from '../../src/tui/StatusLine.js';

describe('StatusLine', () => {
  it('an info message as is, an error marked "!", typing instructions while typing, else a blank line', () => {
    expect(render(<StatusLine status={{kind: 'info', text: 'Saved DGDR to x.yaml'}} typing={null} />).lastFrame()).toBe('Saved DGDR to x.yaml');
    expect(render(<StatusLine status={{kind: 'error', text: 'Nothing to save.'}} typing={null} />).lastFrame()).toBe('! Nothing to save.');
    expect(render(<StatusLine status={null} typing="ITL p90" />).lastFrame()).toBe('Typing ITL p90: Enter accepts, Esc cancels');
    expect(render(<StatusLine status={null} typing={null} />).lastFrame()!.trim()).toBe('');
  });
});
