// Contracts shared by the simulator's parts: the cost model (src/sim/cost), the scheduler (src/sim/scheduler),
// the clocks (src/sim/clock) and the servers (src/sim/server). All times are seconds (floating point).

export type Dtype = 'bf16' | 'fp16' | 'fp8';
export type EngineRole = 'agg' | 'prefill' | 'decode';

/**
 * The work of one forward pass, aggregated so that its cost is O(1) to evaluate however large the batch is.
 * A prefill chunk of `c` tokens that starts at prompt offset `o` contributes `c` to prefillTokens and
 * `c * (o + c / 2)` to prefillAttention (query-key pairs of causal attention).
 */
export interface StepShape {
  prefillTokens: number;
  prefillSeqs: number;
  prefillAttention: number;
  /** KV tokens read by prefill chunks (the cached prefix each chunk attends to). */
  prefillKvTokens: number;
  decodeSeqs: number;
  /** Sum of the context lengths of the decoding sequences: KV tokens read by decode attention. */
  decodeKvTokens: number;
}

export interface StepCostModel {
  /** Wall time of one engine step (forward pass plus the engine's per-step CPU work), in seconds. */
  stepSeconds(shape: StepShape): number;
}

/** A time source and timer service: real time for serving, virtual time for discrete-event simulation. */
export interface Clock {
  now(): number;
  /** Run `fn` at absolute time `atS` (or as soon as possible when it is already past). */
  schedule(atS: number, fn: () => void): TimerHandle;
  cancel(handle: TimerHandle): void;
}

export interface TimerHandle {
  readonly id: number;
}
