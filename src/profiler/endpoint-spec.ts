import {badInput} from '../errors/errors.js';
import type {EngineRole} from '../profile/artifact.js';

/** One deployed engine to profile, from `--endpoint [name=]URL[,tp=N][,gpus=N][,role=agg|prefill|decode]`. */
export interface EndpointSpec {
  name: string;
  url: string;
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
    throw badInput(`--endpoint ${text}: "${url}" is not a URL.`, 'Write it as [name=]http://host:port[,tp=N][,gpus=N][,role=agg|prefill|decode].', 'E_BAD_ENDPOINT');
  }
  const spec: EndpointSpec = {name: named ? head.slice(0, equals) : new URL(url).host.replace(/[^\w.-]/g, '_'), url, tp: null, gpus: null, role: 'agg'};
  for (const option of options) {
    const [key, value = ''] = option.split('=');
    if ((key === 'tp' || key === 'gpus') && /^[1-9]\d*$/.test(value)) spec[key] = Number(value);
    else if (key === 'role' && (value === 'agg' || value === 'prefill' || value === 'decode')) spec.role = value;
    else throw badInput(`--endpoint ${text}: cannot use "${option}".`, 'Options are tp=N, gpus=N and role=agg|prefill|decode.', 'E_BAD_ENDPOINT');
  }
  return spec;
}
