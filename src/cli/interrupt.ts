import {setMaxListeners} from 'node:events';

/**
 * An AbortSignal that fires on Ctrl-C (SIGINT) or SIGTERM, so long operations in src/ stop cleanly.
 * `signalName()` tells which one arrived, so the command can exit 130 for an interrupt.
 */
export function interruptSignal(): {signal: AbortSignal; signalName(): NodeJS.Signals | undefined; dispose(): void} {
  const controller = new AbortController();
  // Every in-flight request listens to this one signal; hundreds of listeners are expected, not a leak.
  setMaxListeners(Infinity, controller.signal);
  let received: NodeJS.Signals | undefined;
  const onSignal = (name: NodeJS.Signals) => {
    if (received) process.exit(130); // a second Ctrl-C means "now"
    received = name;
    controller.abort(new Error(`received ${name}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    signalName: () => received,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
