import {seededRandom} from '../../util/hash.js';

/** Failures the simulator can inject, so clients, profilers and planners are tested against them. */
export interface FaultOptions {
  /** Seconds after start during which /health and the API answer 503. */
  startupDelayS: number;
  /** Share of requests refused with HTTP 500 before any byte of a response. */
  errorRate: number;
  /** Share of streams that end with an in-band `data: {"error": ...}` event under HTTP 200, as vLLM does. */
  inBandErrorRate: number;
  /** Share of streams whose connection is cut mid-stream without a terminator. */
  abortRate: number;
  /** Share of streams that stall (send nothing) for `stallMs` once, mid-stream. */
  stallRate: number;
  stallMs: number;
}

export const noFaults: FaultOptions = {startupDelayS: 0, errorRate: 0, inBandErrorRate: 0, abortRate: 0, stallRate: 0, stallMs: 0};

/** What will go wrong with one request; token indexes are 0-based output tokens. */
export interface RequestFaultPlan {
  refuse: boolean;
  inBandErrorAtToken?: number;
  abortAtToken?: number;
  stallAtToken?: number;
}

/** Draws per-request fault plans from a seeded stream, so a run with the same seed fails the same way. */
export class FaultPlanner {
  private readonly random: () => number;

  constructor(private readonly options: FaultOptions, seed: number) {
    this.random = seededRandom(seed ^ 0x5eed);
  }

  get active(): boolean {
    const o = this.options;
    return o.errorRate > 0 || o.inBandErrorRate > 0 || o.abortRate > 0 || (o.stallRate > 0 && o.stallMs > 0);
  }

  plan(expectedOutputTokens: number): RequestFaultPlan {
    if (!this.active) return {refuse: false};
    const o = this.options;
    const midStream = () => Math.floor(this.random() * Math.max(1, expectedOutputTokens - 1));
    const plan: RequestFaultPlan = {refuse: this.random() < o.errorRate};
    if (this.random() < o.inBandErrorRate) plan.inBandErrorAtToken = midStream();
    if (this.random() < o.abortRate) plan.abortAtToken = midStream();
    if (o.stallMs > 0 && this.random() < o.stallRate) plan.stallAtToken = midStream();
    return plan;
  }
}
