// --rate-scale: more (or less) traffic over the same timeline. readTrace's own rate scale shrinks the gaps, which
// also shrinks an hour-long trace to minutes, too short for a planner that looks every 180 s; here the trace keeps
// its duration and its rate curve, and each request is sent `factor` times on average, as if that many more users
// behaved alike.
import {badInput} from '../errors/errors.js';
import type {FleetRequest} from '../sim/fleet/index.js';
import {seededRandom} from '../util/hash.js';

/**
 * Request i stands for floor(factor) copies, plus one more with probability frac(factor) (seeded), spread evenly over
 * the gap to request i + 1, so the copies do not arrive as bursts the trace never had. Copies keep the lengths; their
 * prefix-block ids are renamed per copy, so a copy shares prefixes with its own copy's history, not with its twin
 * (the traffic of more users, not the same user repeating). A factor below 1 thins the trace.
 */
export function scaleRate(requests: readonly FleetRequest[], factor: number, seed: number): FleetRequest[] {
  if (!(factor > 0 && Number.isFinite(factor))) throw badInput(`--rate-scale must be a positive number, got ${factor}.`, 'E.g. 10 for ten times the requests per second over the same timeline.', 'E_BAD_OPTION');
  if (factor === 1) return requests.slice();
  const random = seededRandom(seed);
  const whole = Math.floor(factor);
  const fraction = factor - whole;
  const slots = Math.ceil(factor);
  const scaled: FleetRequest[] = [];
  for (let index = 0; index < requests.length; index++) {
    const request = requests[index]!;
    const copies = whole + (fraction > 0 && random() < fraction ? 1 : 0);
    const gapS = (requests[index + 1]?.atS ?? request.atS) - request.atS;
    for (let copy = 0; copy < copies; copy++) {
      scaled.push({
        atS: request.atS + (gapS * copy) / copies,
        isl: request.isl,
        osl: request.osl,
        ...(request.hashIds ? {hashIds: request.hashIds.map((id) => id * slots + copy)} : {}),
      });
    }
  }
  return scaled;
}
