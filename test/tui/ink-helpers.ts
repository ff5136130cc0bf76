import {render} from 'ink-testing-library';
import type {ReactElement} from 'react';

export type InkInstance = ReturnType<typeof render>;

/** Escape sequences a terminal sends for the keys tune reads. */
export const KEYS = {up: '\u001B[A', down: '\u001B[B', right: '\u001B[C', left: '\u001B[D', enter: '\r', escape: '\u001B', backspace: '\u007F'} as const;

/** Give the fake stdout a terminal size and tell the app it changed, as a real terminal's SIGWINCH does. */
export function resize(instance: InkInstance, columns: number, rows: number): void {
  Object.defineProperty(instance.stdout, 'columns', {get: () => columns, configurable: true});
  Object.defineProperty(instance.stdout, 'rows', {get: () => rows, configurable: true});
  instance.stdout.emit('resize');
}

/** Render at a terminal size (ink-testing-library's stdout is 100 columns wide and has no rows). */
export async function renderAt(tree: ReactElement, columns: number, rows: number): Promise<InkInstance> {
  const instance = render(tree);
  resize(instance, columns, rows);
  await redrawnWithin(instance, columns);
  return instance;
}

/** Wait (up to 15 s on a busy machine) until there is a frame and it fits the width it was resized to. */
export async function redrawnWithin(instance: InkInstance, columns: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  do await settle();
  while (((instance.lastFrame() ?? '').trim() === '' || frameLines(instance).some((line) => line.length > columns)) && Date.now() < deadline);
}

/** Send keys one at a time, letting ink parse each and React commit the render. */
export async function press(instance: InkInstance, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    instance.stdin.write(key);
    await settle();
  }
}

/** Let pending input events and React renders run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 20));
}

/** The frame as lines, trailing spaces dropped. */
export function frameLines(instance: InkInstance): string[] {
  return (instance.lastFrame() ?? '').split('\n').map((line) => line.trimEnd());
}

/** Wait until no new frame has been drawn for 300 ms (at most 10 s): renders and an unmount have finished. */
export async function quiet(instance: InkInstance): Promise<void> {
  const deadline = Date.now() + 10_000;
  let count = -1;
  while (count !== instance.frames.length && Date.now() < deadline) {
    count = instance.frames.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
