// static-peak's fleet: the cheapest fixed fleet that holds the SLA target share in replay. The sizer's fleet for the
// trace's peak throughput interval is the start; it is sized for the mean rate of that interval, and the trace's
// 10 s bursts inside it run well above that mean, so it may miss. The search adds an engine to the role whose target
// is missed more (TTFT: prefill, ITL: decode) until the fleet holds the target, then drops engines the fleet holds it
// without: the baseline a cautious operator would reach by load testing, not a strawman.

export interface FixedFleet {
  prefill: number;
  decode: number;
}

/** One replay of a fixed fleet: its SLA attainment and which target its misses missed. */
export interface FixedFleetTrial {
  attainment: number;
  ttftMisses: number;
  itlMisses: number;
}

/** Largest fleet the search tries before it gives up (the fleet then is the last tried). */
const MAX_ENGINES = 256;

/**
 * The fewest engines, from `start`, whose replay attains `target` (0-1); `trial` replays one fleet. Each fleet is
 * replayed once. Returns the fleet and its trial; when no fleet up to MAX_ENGINES holds the target, the largest tried.
 */
export async function cheapestFixedFleet(start: FixedFleet, target: number, minReplicas: number, roles: readonly ('prefill' | 'decode')[], trial: (fleet: FixedFleet) => Promise<FixedFleetTrial>): Promise<{fleet: FixedFleet; trial: FixedFleetTrial; tried: number}> {
  const seen = new Map<string, FixedFleetTrial>();
  const attempt = async (fleet: FixedFleet) => {
    const key = `${fleet.prefill}+${fleet.decode}`;
    let result = seen.get(key);
    if (!result) {
      result = await trial(fleet);
      seen.set(key, result);
    }
    return result;
  };
  let fleet = {...start};
  let result = await attempt(fleet);
  while (result.attainment < target && fleet.prefill + fleet.decode < MAX_ENGINES) {
    const role = roles.length === 1 ? roles[0]! : result.itlMisses > result.ttftMisses ? 'decode' : 'prefill';
    fleet = {...fleet, [role]: fleet[role] + 1};
    result = await attempt(fleet);
  }
  if (result.attainment < target) return {fleet, trial: result, tried: seen.size};
  // Drop engines the target holds without, one role at a time, until neither role can lose one.
  for (let shrunk = true; shrunk; ) {
    shrunk = false;
    for (const role of roles) {
      if (fleet[role] <= minReplicas) continue;
      const smaller = {...fleet, [role]: fleet[role] - 1};
      const smallerResult = await attempt(smaller);
      if (smallerResult.attainment >= target) {
        fleet = smaller;
        result = smallerResult;
        shrunk = true;
      }
    }
  }
  return {fleet, trial: result, tried: seen.size};
}
