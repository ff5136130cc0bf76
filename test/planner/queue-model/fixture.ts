import {loadProfileCapacities} from '../../../src/planner/profile-capacity.js';
import {DEFAULT_PROFILE} from '../../../src/replay/replay.js';

/** The shipped Llama-3.1-8B H100 profile's capacities, with its fitted models. */
export const capacities = loadProfileCapacities([DEFAULT_PROFILE]);
export const ttft = capacities.models!.ttft!;
export const itl = capacities.models!.itl!;

/** `rate` requests per second, evenly spaced, over [startS, endS). */
export function steady(rate: number, startS: number, endS: number, isl: number, osl: number): {atS: number; isl: number; osl: number}[] {
  const count = Math.round((endS - startS) * rate);
  return Array.from({length: count}, (_, i) => ({atS: startS + i / rate, isl, osl}));
}
