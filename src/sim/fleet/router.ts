import type {FleetEngine} from './fleet-engine.js';

/**
 * The least loaded engine that accepts work (ready, not draining), or undefined when none does.
 *
 * Load is the prompt tokens of the requests an engine holds, a figure a real router knows (it does not know output
 * lengths) and that tracks what each role is short of:
 * - prefill: a leg is held until its prompt is prefilled, so this is the prefill work queued ahead of a new prompt,
 *   which is what its TTFT waits for;
 * - decode and aggregated: prompts are most of the KV a sequence holds (ISL is several times OSL in the traces
 *   replayed), and KV is what decode step time and preemption depend on; an aggregated engine also owes the
 *   prefill of the prompts it has not started.
 * Ties (idle engines, equal prompts) go to the engine holding fewer requests, then to a seeded random pick, so idle
 * engines share the work rather than the first one taking it all.
 */
export function pickLeastLoaded(engines: readonly FleetEngine[], random: () => number): FleetEngine | undefined {
  let best: FleetEngine | undefined;
  let ties = 0;
  for (let i = 0; i < engines.length; i++) {
    const engine = engines[i]!;
    if (!engine.accepting) continue;
    if (best === undefined || engine.inFlightPromptTokens < best.inFlightPromptTokens ||
      (engine.inFlightPromptTokens === best.inFlightPromptTokens && engine.inFlight < best.inFlight)) {
      best = engine;
      ties = 1;
    } else if (engine.inFlightPromptTokens === best.inFlightPromptTokens && engine.inFlight === best.inFlight) {
      // Reservoir sampling over the tied engines: each of k ties is kept with probability 1/k.
      ties++;
      if (random() * ties < 1) best = engine;
    }
  }
  return best;
}
