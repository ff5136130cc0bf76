// Goodput (DistServe; `vllm bench serve --goodput`): completed requests per second that met every given SLO.
//
// Per-token SLOs are per-request means, as DistServe and vLLM define them: `tpot` bounds the request's
// (end - first token) / (output tokens - 1), and `itl` bounds the mean of its inter-chunk gaps (AIPerf's reading
// of an inter-token-latency SLO), which equals TPOT when every chunk carries one token. A maximum per-token gap
// would let one scheduler hiccup fail a whole long request. A request with fewer than two tokens meets both
// vacuously; one without any token cannot meet a TTFT SLO.
import {badInput} from '../errors/errors.js';
import type {RequestLatencies} from './request-latencies.js';

/** Latency bounds in milliseconds; only the given ones are checked. TTFT and E2E count from the intended send. */
export interface GoodputSlo {
  ttft?: number;
  itl?: number;
  tpot?: number;
  e2e?: number;
}

type SloKey = keyof GoodputSlo;

// vLLM spells end-to-end latency e2el.
const KEYS: Record<string, SloKey> = {ttft: 'ttft', itl: 'itl', tpot: 'tpot', e2e: 'e2e', e2el: 'e2e'};
const HINT = 'Give key:milliseconds pairs separated by commas or spaces, e.g. ttft:200,tpot:30,e2e:1000 (keys: ttft, itl, tpot, e2e).';

/** Parse 'ttft:200,itl:20,tpot:30,e2e:1000' (milliseconds). */
export function parseGoodput(text: string): GoodputSlo {
  const slo: GoodputSlo = {};
  const pairs = text.split(/[\s,]+/).filter((pair) => pair !== '');
  if (pairs.length === 0) throw badInput('The goodput SLO is empty.', HINT, 'E_BAD_GOODPUT');
  for (const pair of pairs) {
    const [name = '', value = '', ...rest] = pair.split(':');
    const key = KEYS[name.toLowerCase()];
    if (!key) throw badInput(`Unknown goodput SLO "${name}" in "${pair}".`, HINT, 'E_BAD_GOODPUT');
    const ms = value.trim() === '' || rest.length > 0 ? NaN : Number(value);
    if (!(ms > 0 && Number.isFinite(ms))) throw badInput(`Goodput SLO "${pair}" needs a positive number of milliseconds.`, HINT, 'E_BAD_GOODPUT');
    if (slo[key] !== undefined) throw badInput(`Goodput SLO ${key} is given twice.`, HINT, 'E_BAD_GOODPUT');
    slo[key] = ms;
  }
  return slo;
}

/** Whether a completed request met every SLO in `slo`. */
export function meetsSlo(latencies: RequestLatencies, slo: GoodputSlo): boolean {
  const withinMs = (seconds: number | null, boundMs: number | undefined, whenUnmeasured: boolean): boolean =>
    boundMs === undefined || (seconds === null ? whenUnmeasured : seconds * 1000 <= boundMs);
  return (
    withinMs(latencies.ttftS, slo.ttft, false) &&
    withinMs(latencies.tpotS, slo.tpot, true) &&
    withinMs(latencies.meanItlS, slo.itl, true) &&
    withinMs(latencies.e2eS, slo.e2e, false)
  );
}
