import {bytesElements, type InferParameter, type ModelInferRequest} from '../../engine/grpc/kserve-messages.js';
import type {GenerationParams} from './generation-core.js';
import {ProtocolError} from './openai-protocol.js';
import {tokenize} from './tokenizer.js';

export interface KserveGeneration {
  model: string;
  /** Echoed in every response. */
  id: string;
  streaming: boolean;
  params: GenerationParams;
}

const STREAMING_INPUTS = new Set(['streaming', 'stream']);

/**
 * Read a ModelInferRequest as Dynamo's frontend does: a `text_input` BYTES tensor and an optional `streaming` (or
 * `stream`) BOOL tensor, nothing else. Unlike Dynamo, the request parameters max_tokens, min_tokens and ignore_eos
 * are honoured. Throws a ProtocolError (INVALID_ARGUMENT) for anything else.
 */
export function parseInferRequest(request: ModelInferRequest, vocabSize: number): KserveGeneration {
  const raw = request.raw_input_contents ?? [];
  if (raw.length > 0 && raw.length !== request.inputs.length) throw new ProtocolError(400, '`raw_input_contents` must be used for all inputs');
  let prompt: string | undefined;
  let streaming = false;
  request.inputs.forEach((input, index) => {
    if (input.name === 'text_input') {
      if (input.datatype !== 'BYTES') throw new ProtocolError(400, `Expected 'text_input' to be of type BYTES, got ${input.datatype}`);
      prompt = bytesElements(request.inputs, raw, 'text_input')?.[0];
      if (prompt === undefined) throw new ProtocolError(400, "'text_input' must contain exactly one element");
    } else if (STREAMING_INPUTS.has(input.name)) {
      if (input.datatype !== 'BOOL') throw new ProtocolError(400, `Expected '${input.name}' to be of type BOOL, got ${input.datatype}`);
      streaming = input.contents?.bool_contents?.[0] ?? Boolean(raw[index]?.[0]);
    } else {
      throw new ProtocolError(400, `Invalid input name: ${input.name}, supported inputs are 'text_input', 'streaming'`);
    }
  });
  if (prompt === undefined) throw new ProtocolError(400, "Missing required input: 'text_input'");
  const parameters = request.parameters ?? {};
  const maxTokens = integerParameter(parameters, 'max_tokens', 1);
  const minTokens = integerParameter(parameters, 'min_tokens', 0) ?? 0;
  if (maxTokens !== undefined && minTokens > maxTokens) throw new ProtocolError(400, `min_tokens must be less than or equal to max_tokens=${maxTokens}, got ${minTokens}.`);
  return {
    model: request.model_name,
    id: request.id ?? '',
    streaming,
    params: {promptTokenIds: tokenize(prompt, vocabSize), maxTokens, minTokens, ignoreEos: parameters.ignore_eos?.bool_param === true, seed: undefined},
  };
}

function integerParameter(parameters: Record<string, InferParameter>, name: string, min: number): number | undefined {
  const parameter = parameters[name];
  if (parameter === undefined) return undefined;
  const value = parameter.int64_param ?? parameter.uint64_param;
  if (value === undefined || !Number.isInteger(value) || value < min) {
    throw new ProtocolError(400, `Parameter ${name} must be an int64_param >= ${min}.`);
  }
  return value;
}
