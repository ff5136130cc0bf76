import {render} from 'ink';
import type {SizingInput} from '../sizing/index.js';
import type {SaveTarget} from './save.js';
import {TuneApp} from './TuneApp.js';

/** Run the tune screen on the process's terminal until q or Ctrl-C. */
export async function runTune(input: SizingInput, saveTo: SaveTarget): Promise<void> {
  const instance = render(<TuneApp initial={input} saveTo={saveTo} />, {exitOnCtrlC: true});
  await instance.waitUntilExit();
}
