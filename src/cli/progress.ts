import type {Writable} from 'node:stream';

/** A single status line on stderr, redrawn in place; a no-op when output is not for a person. */
export interface Progress {
  update(text: string): void;
  done(text?: string): void;
}

export function createProgress(options: {enabled: boolean; stream: Writable}): Progress {
  if (!options.enabled) return {update() {}, done() {}};
  let shown = false;
  return {
    update(text) {
      options.stream.write(`\r\u001B[2K${text}`);
      shown = true;
    },
    done(text) {
      if (shown || text) options.stream.write(`\r\u001B[2K${text ? text + '\n' : ''}`);
      shown = false;
    },
  };
}
