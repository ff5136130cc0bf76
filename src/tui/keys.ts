// Which key does what. Kept apart from the components so the mapping is testable without a terminal.
import type {Key} from 'ink';
import type {TuneAction, TuneState} from './tune-state.js';

export type TuneCommand = TuneAction | {type: 'save-dgdr'} | {type: 'save-json'} | {type: 'quit'};

/** The key help the screen always shows, longest first: the screen takes the first that fits its width. */
export const HELP_LINES = [
  '↑↓ move  ←→ +/- change  0-9 Enter set  Esc cancel  s save DGDR  j save JSON  r reset  q quit',
  '↑↓ move  ←→/+- step  0-9 Enter set  Esc cancel  s DGDR  j JSON  r reset  q quit',
  '↑↓ ←→ +- 0-9 Enter Esc  s DGDR  j JSON  r reset  q quit',
] as const;

/** The command a key press means in this state (null: nothing). While typing, only editing keys count, and Ctrl-C. */
export function commandForKey(input: string, key: Key, state: TuneState): TuneCommand | null {
  if (key.ctrl && input === 'c') return {type: 'quit'};
  if (state.draft !== null) {
    if (key.return) return {type: 'accept'};
    if (key.escape) return {type: 'cancel'};
    if (key.backspace || key.delete) return {type: 'erase'};
    if (/^[0-9.]+$/.test(input)) return {type: 'type', text: input};
    return null;
  }
  if (key.upArrow) return {type: 'move', by: -1};
  if (key.downArrow || key.tab) return {type: 'move', by: 1};
  if (key.rightArrow || input === '+' || input === '=') return {type: 'step', by: 1};
  if (key.leftArrow || input === '-' || input === '_') return {type: 'step', by: -1};
  if (/^[0-9.]+$/.test(input)) return {type: 'type', text: input};
  switch (input) {
    case 's':
      return {type: 'save-dgdr'};
    case 'j':
      return {type: 'save-json'};
    case 'r':
      return {type: 'reset'};
    case 'q':
      return {type: 'quit'};
    default:
      return null;
  }
}
