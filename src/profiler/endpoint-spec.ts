import {badInput} from '../errors/errors.js';
import type {ApiKind} from '../engine/types.js';
import type {EngineRole} from '../profile/artifact.js';

/**
 * One deployed engine to profile, from `--endpoint [name=]URL[,tp=N][,gpus=N][,role=agg|prefill|decode][,api=...]`.
 * http(s):// URLs speak the OpenAI completions API; grpc://host:port speaks vLLM's gRPC (api=vllm-grpc, the default)
 * or KServe v2 (api=kserve).
 */
export interface EndpointSpec {
  name: string;
  url: string;
  api: ApiKind;
  tp: number | null;
  gpus: number | null;
  role: EngineRole;
}

export function parseEndpoint(text: string): EndpointSpec {
  const [head = '', ...options] = text.split(',');
  const equals = head.indexOf('=');
  const named = equals > 0 && !head.slice(0, equals).includes('://');
  const url = named ? head.slice(equals + 1) : head;
  try {
    new URL(url);
  } catch {
    throw badInput(`--endpoint ${text}: "${url}" is not a URL.`, 'Write it as [name=]http://host:port[,tp=N][,gpus=N][,role=agg|prefill|decode], or grpc://host:port[,api=kserve].', 'E_BAD_ENDPOINT');
  }
  const grpc = url.startsWith('grpc://');
  const spec: EndpointSpec = {name: named ? head.slice(0, equals) : new URL(url).host.replace(/[^\w.-]/g, '_'), url, api: grpc ? 'vllm-grpc' : 'completions', tp: null, gpus: null, role: 'agg'};
  for (const option of options) {
    const [key, value = ''] = option.split('=');
    if ((key === 'tp' || key === 'gpus') && /^[1-9]\d*$/.test(value)) spec[key] = Number(value);
    else if (key === 'role' && (value === 'agg' || value === 'prefill' || value === 'decode')) spec.role = value;
    else if (key === 'api' && grpc && (value === 'vllm-grpc' || value === 'kserve')) spec.api = value;
    else throw badInput(`--endpoint ${text}: cannot use "${option}".`, 'Options are tp=N, gpus=N, role=agg|prefill|decode, and for grpc:// URLs api=vllm-grpc|kserve.', 'E_BAD_ENDPOINT');
  }
  return spec;
}
