import type {GenerationContext} from './generation-core.js';

/** What every front (HTTP, gRPC) of a simulated engine needs to know. */
export interface FrontOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  servedModelName: string;
  /** The model id from the catalog (/v1/models `root`, vLLM gRPC GetModelInfo `model_path`). */
  modelId: string;
  maxModelLen: number;
  vocabSize: number;
  /** The engine, metrics and faults, shared by all fronts. */
  generation: GenerationContext;
}
