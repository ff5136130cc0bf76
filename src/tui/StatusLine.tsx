import {Text} from 'ink';
import type {StatusMessage} from './tune-state.js';

export interface StatusLineProps {
  status: StatusMessage | null;
  /** The label of the field being typed into, while typing. */
  typing: string | null;
}

/** One line: what the last action did ("Saved DGDR to FILE"), an error in words, or how to finish typing. */
export function StatusLine({status, typing}: StatusLineProps) {
  const text = typing !== null ? `Typing ${typing}: Enter accepts, Esc cancels` : status === null ? ' ' : status.kind === 'error' ? `! ${status.text}` : status.text;
  // A long path keeps both ends: what was saved, and the file name.
  return <Text wrap="truncate-middle">{text}</Text>;
}
