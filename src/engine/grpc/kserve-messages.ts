// The KServe v2 messages dynamo-plan reads or writes, as proto-loader presents them (see proto.ts).

export interface InferParameter {
  bool_param?: boolean;
  int64_param?: number;
  string_param?: string;
  double_param?: number;
  uint64_param?: number;
  /** Which member is set (decoded messages only). */
  parameter_choice?: 'bool_param' | 'int64_param' | 'string_param' | 'double_param' | 'uint64_param';
}

export interface InferTensorContents {
  bool_contents?: boolean[];
  int64_contents?: number[];
  bytes_contents?: Buffer[];
}

export interface InferTensor {
  name: string;
  datatype: string;
  shape: number[];
  parameters?: Record<string, InferParameter>;
  contents?: InferTensorContents | null;
}

export interface ModelInferRequest {
  model_name: string;
  model_version?: string;
  id?: string;
  parameters?: Record<string, InferParameter>;
  inputs: InferTensor[];
  raw_input_contents?: Buffer[];
}

export interface ModelInferResponse {
  model_name: string;
  model_version: string;
  id: string;
  outputs: InferTensor[];
  raw_output_contents?: Buffer[];
}

export interface ModelStreamInferResponse {
  error_message: string;
  infer_response: ModelInferResponse | null;
}

export interface TensorMetadata {
  name: string;
  datatype: string;
  shape: number[];
}

export interface ModelMetadataResponse {
  name: string;
  versions: string[];
  platform: string;
  inputs: TensorMetadata[];
  outputs: TensorMetadata[];
}

/**
 * The BYTES elements of the tensor called `name`, decoded as UTF-8: from its typed contents, or from its entry in
 * the raw contents (each element preceded by a 4-byte little-endian length). undefined when there is no such tensor.
 */
export function bytesElements(tensors: readonly InferTensor[], raw: readonly Buffer[] | undefined, name: string): string[] | undefined {
  const index = tensors.findIndex((tensor) => tensor.name === name);
  if (index < 0) return undefined;
  const typed = tensors[index]!.contents?.bytes_contents ?? [];
  const buffer = raw?.[index];
  if (typed.length > 0 || !buffer) return typed.map((element) => element.toString('utf8'));
  const elements: string[] = [];
  for (let offset = 0; offset + 4 <= buffer.length; offset += 4 + buffer.readUInt32LE(offset)) {
    elements.push(buffer.toString('utf8', offset + 4, offset + 4 + buffer.readUInt32LE(offset)));
  }
  return elements;
}
