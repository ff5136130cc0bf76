import {env} from 'node:process';

/**
 * Let ink draw live in a real terminal even when CI (or CONTINUOUS_INTEGRATION) is set in the environment, as it is in
 * CI jobs and in shells that inherit their variables: ink reads them once, when it is first imported, and then draws
 * only the final frame, which leaves an interactive screen blank. Call before importing ink, and only with a TTY.
 */
export function allowLiveRendering(): void {
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
}
