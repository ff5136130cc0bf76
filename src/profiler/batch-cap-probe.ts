import {Pool} from 'undici';

/**
 * Watches an engine's /metrics while decode points run, to infer a max_num_seqs the engine does not expose: when
 * requests wait (vllm:num_requests_waiting > 0) although the KV cache has room, the running batch is at its cap.
 */
export class BatchCapProbe {
  private readonly pool: Pool;
  private readonly timer: NodeJS.Timeout;
  private cappedAt: number | undefined;
  private mostRunning = 0;

  constructor(baseUrl: string, intervalMs = 100) {
    this.pool = new Pool(new URL(baseUrl).origin, {connections: 1});
    this.timer = setInterval(() => void this.sample(), intervalMs);
  }

  /** The inferred cap, when requests were seen waiting beside a full batch with KV cache to spare. */
  get inferredMaxNumSeqs(): number | undefined {
    return this.cappedAt;
  }

  /** The largest running batch seen: a lower bound on max_num_seqs when no cap was seen. */
  get largestBatchSeen(): number {
    return this.mostRunning;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.pool.close();
  }

  private async sample(): Promise<void> {
    try {
      const response = await this.pool.request({method: 'GET', path: '/metrics'});
      const text = await response.body.text();
      const running = gauge(text, 'vllm:num_requests_running');
      const waiting = gauge(text, 'vllm:num_requests_waiting');
      const kvUsage = gauge(text, 'vllm:kv_cache_usage_perc');
      if (running === undefined || waiting === undefined) return;
      this.mostRunning = Math.max(this.mostRunning, running);
      // Waiting with the KV cache far from full means the sequence cap, not memory, holds requests back.
      if (waiting > 0 && running > 0 && (kvUsage ?? 0) < 0.9) this.cappedAt = Math.max(this.cappedAt ?? 0, running);
    } catch {
      // A missed sample is only a missed sample; the sweep itself reports engine failures.
    }
  }
}

/** The sum over engines (vLLM's DP `engine` label) of a gauge's samples. */
function gauge(text: string, name: string): number | undefined {
  let total: number | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== '{' && line[name.length] !== ' ')) continue;
    total = (total ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}
