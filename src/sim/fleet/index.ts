// A whole deployment of simulated engines in virtual time: static sizing validation and planner replay run on it.
import {FleetSimulator} from './fleet.js';
import type {FleetOptions, FleetRequest, FleetResult} from './types.js';

export {FleetSimulator} from './fleet.js';
export {blockHashesFromIds, poissonRequests, requestsFromSchedule} from './requests.js';
export {summarizeFleet, type FleetSummary, type SlaTargets} from './summary.js';
export type {
  EngineObservation,
  EngineRecord,
  EngineState,
  FleetOptions,
  FleetPools,
  FleetRequest,
  FleetResult,
  PoolOptions,
  RequestRecord,
  ScalingEvent,
  TrafficWindow,
} from './types.js';

/** A static deployment under a load: runs until every request has finished (or `limitS`) and returns the result. */
export function simulateFleet(options: FleetOptions, requests: readonly FleetRequest[], limitS = Infinity): FleetResult {
  const fleet = new FleetSimulator(options, requests);
  fleet.run(limitS);
  return fleet.result();
}
