// The fleet's load: requests from a replayed trace or a generated Poisson process, and the prefix-cache block hashes
// a trace's Mooncake hash ids stand for.
import {poisson} from '../../loadgen/arrivals.js';
import {lengthSampler, type LengthSpec} from '../../loadgen/lengths.js';
import {MOONCAKE_BLOCK_TOKENS, type RequestLimit, type Schedule} from '../../loadgen/schedule.js';
import {mix32} from '../../util/hash.js';
import type {FleetRequest} from './types.js';

/** A trace read by readTrace (or any open-loop schedule) as fleet requests: send times become arrival times. */
export function requestsFromSchedule(schedule: Schedule): FleetRequest[] {
  return schedule.map((planned) => ({
    atS: planned.sendAtS,
    isl: planned.isl,
    osl: planned.osl,
    ...(planned.hashIds ? {hashIds: planned.hashIds} : {}),
  }));
}

/** Poisson arrivals at `rate` per second with lengths from `lengths`; a pure function of its arguments. */
export function poissonRequests(rate: number, limit: number | RequestLimit, lengths: LengthSpec, seed: number): FleetRequest[] {
  const lengthOf = lengthSampler(lengths, seed);
  return poisson(rate, limit, seed).map((atS, index) => ({atS, ...lengthOf(index)}));
}

/**
 * Chained hashes of the prompt's full `blockSize`-token KV blocks, from the ids of its Mooncake blocks: two prompts
 * get the same hash for block k exactly when their ids agree on every Mooncake block up to the one holding block k.
 * Blocks beyond the ids given are not hashed (not cacheable).
 */
export function blockHashesFromIds(hashIds: readonly number[], isl: number, blockSize: number): number[] {
  const blocks = Math.min(Math.floor(isl / blockSize), Math.floor((hashIds.length * MOONCAKE_BLOCK_TOKENS) / blockSize));
  const hashes = new Array<number>(blocks);
  let chain = 0;
  for (let k = 0; k < blocks; k++) {
    chain = mix32(chain, mix32(hashIds[Math.floor((k * blockSize) / MOONCAKE_BLOCK_TOKENS)]!, k));
    hashes[k] = chain;
  }
  return hashes;
}
