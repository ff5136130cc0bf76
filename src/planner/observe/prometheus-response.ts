// The envelope every Prometheus HTTP API answer comes in: status, then data or an error.

export type PrometheusBody = {ok: true; data: {resultType?: string; result?: unknown}} | {ok: false; error: string};

export function parseBody(text: string): PrometheusBody {
  let body: {status?: string; error?: string; data?: {resultType?: string; result?: unknown}};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return {ok: false, error: 'Prometheus answered something that is not JSON'};
  }
  if (body.status !== 'success') return {ok: false, error: `Prometheus refused the query: ${body.error ?? 'unknown error'}`};
  return {ok: true, data: body.data ?? {}};
}
