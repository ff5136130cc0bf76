// A latency model must be positive and must not fall as load grows inside the range it was measured on; a form that
// bends the wrong way there is fitting noise, and would mislead the batch-size search that assumes monotonicity.

// Relative slack for rounding when consecutive predictions are equal in exact arithmetic.
const ROUNDING = 1e-12;

/**
 * Why the predictions are implausible, or undefined when they are not. Each path lists inputs in increasing load
 * (more prompt tokens, a larger batch); `load` names that quantity for the message.
 */
export function implausibility<X>(predict: (x: X) => number, paths: readonly (readonly X[])[], load: string, describe: (x: X) => string): string | undefined {
  for (const path of paths) {
    let previous: number | undefined;
    for (const x of path) {
      const value = predict(x);
      if (!(value > 0)) return `it predicts ${value.toFixed(3)} ms at ${describe(x)}`;
      if (previous !== undefined && value < previous * (1 - ROUNDING)) return `it decreases as ${load} grows, at ${describe(x)}`;
      previous = value;
    }
  }
  return undefined;
}

/** low, low + 1, ... up to and including high: every whole load step across a measured range. */
export function unitSteps(low: number, high: number): number[] {
  const steps = Array.from({length: Math.floor(high - low) + 1}, (_, i) => low + i);
  if (steps.at(-1) !== high) steps.push(high);
  return steps;
}
