// What sits in front of the engine. Its per-request cost (HTTP, chat template, tokenisation, routing) is paid once
// per request before the first engine step, so the server adds it to TTFT; it is not part of any step.

import type {EfficiencyParameters} from './catalog-types.js';

export type DeploymentPresetName = 'vllm' | 'dynamo';

export interface DeploymentPreset {
  description: string;
  requestOverheadSeconds: number;
}

export const DEPLOYMENT_PRESETS: Readonly<Record<DeploymentPresetName, DeploymentPreset>> = {
  vllm: {
    description: 'vllm serve: the OpenAI-compatible API server alone (uncalibrated estimate)',
    requestOverheadSeconds: 0.005,
  },
  dynamo: {
    description: 'Dynamo frontend in front of vLLM workers (fitted to the H200 profile in docs/simulator.md)',
    requestOverheadSeconds: 0.0155,
  },
};

export const DEFAULT_DEPLOYMENT: DeploymentPresetName = 'vllm';

/** A preset plus any per-deployment overrides of the request overhead and the GPU's efficiency parameters. */
export type DeploymentOptions = {preset?: DeploymentPresetName; requestOverheadSeconds?: number} & Partial<EfficiencyParameters>;
