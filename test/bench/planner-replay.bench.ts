// Planner replay benchmark (issue 6, Performance): wall time to replay the one-hour Azure conversation trace on a
// 16-engine fleet, and the four policies compared on the Azure and Mooncake conversation traces and on Azure's bursty
// code trace.
// Run: npx tsx test/bench/planner-replay.bench.ts
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {runReplay, type ReplayResult} from '../../src/replay/index.js';

const traces = fileURLToPath(new URL('../../../shared/reference/traces/', import.meta.url));
const policies = ['static-peak', 'throughput', 'dynamo-sla', 'dynamo-plan'];

function table(result: ReplayResult): string {
  const staticPeak = result.policies.find((policy) => policy.name === 'static-peak');
  const sla = result.policies.find((policy) => policy.name === 'dynamo-sla');
  const rows = result.policies.map((policy) => {
    const ms = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(0));
    return `| ${policy.name} | ${(policy.sla_attainment * 100).toFixed(2)}% | ${ms(policy.ttft_ms?.p50)} / ${ms(policy.ttft_ms?.p90)} / ${ms(policy.ttft_ms?.p99)} | ${policy.itl_ms?.p50.toFixed(1)} / ${policy.itl_ms?.p90.toFixed(1)} / ${policy.itl_ms?.p99.toFixed(1)} | ${policy.gpu_hours.toFixed(2)} | ${staticPeak ? (policy.gpu_hours / staticPeak.gpu_hours).toFixed(2) : '-'} | ${sla ? (policy.gpu_hours / sla.gpu_hours).toFixed(2) : '-'} | ${policy.peak_gpus} | ${policy.scaling_events} |`;
  });
  return [
    `${result.trace.requests} requests, rate x${result.trace.rate_scale}, peak ${result.trace.peak_rps.toFixed(1)} req/s per ${result.trace.peak_interval_s} s; SLA TTFT ${result.sla.ttft_ms} ms, ITL ${result.sla.itl_ms} ms; start-up ${result.startup_s} s; static-peak ${JSON.stringify(result.replicas.static_peak)} (searched from the sizer's ${JSON.stringify(result.replicas.static_peak_sized)}), start ${JSON.stringify(result.replicas.initial)}`,
    '',
    '| policy | SLA met | TTFT p50/p90/p99 ms | ITL p50/p90/p99 ms | GPU-h | vs static-peak | vs dynamo-sla | peak GPUs | scalings |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await run();
  return [value, (performance.now() - start) / 1000];
}

// 1. Wall time. The hour of Azure conversations as recorded, on 16 engines (8 prefill + 8 decode held by a dynamo-sla
// configuration with min_endpoint 8, the planner ticking throughout), then at 20x its rate (the fleet the load needs).
const dir = mkdtempSync(join(tmpdir(), 'replay-bench-'));
const sixteen = join(dir, 'sixteen.json');
writeFileSync(sixteen, JSON.stringify({mode: 'disagg', optimization_target: 'sla', ttft: 500, itl: 30, min_endpoint: 8, max_gpu_budget: -1}));
const [fleetLiteral, wallLiteral] = await timed(() => runReplay({tracePath: `${traces}azure_llm_2023_conv.csv`, configPath: sixteen}));
console.log(`Azure conv x1 on 16 engines (${fleetLiteral.policies[0]!.peak_gpus} held, ${fleetLiteral.policies[0]!.planner_ticks} ticks), ${fleetLiteral.trace.requests} requests: ${wallLiteral.toFixed(1)} s wall`);
// At 20x under dynamo-plan (static-peak now replays several fixed fleets in its search, so its wall is not one run's).
const azure = `${traces}azure_llm_2023_conv.csv`;
const [ours16, wallOurs16] = await timed(() => runReplay({tracePath: azure, rateScale: 20, ttftMs: 500, itlMs: 30, policies: ['dynamo-plan']}));
console.log(`Azure conv x20, dynamo-plan (peak ${ours16.policies[0]!.peak_gpus} engines): ${wallOurs16.toFixed(1)} s wall`);

// 2. The comparison tables.
const [azureCompare, wallAzure] = await timed(() => runReplay({tracePath: azure, rateScale: 10, ttftMs: 500, itlMs: 30, policies}));
console.log(`\nAzure conversation, 4 policies in ${wallAzure.toFixed(1)} s wall\n${table(azureCompare)}`);
const mooncake = `${traces}mooncake_conversation_trace.jsonl`;
const [mooncakeCompare, wallMooncake] = await timed(() => runReplay({tracePath: mooncake, rateScale: 3, ttftMs: 10_000, itlMs: 30, policies}));
console.log(`\nMooncake conversation, 4 policies in ${wallMooncake.toFixed(1)} s wall\n${table(mooncakeCompare)}`);
// Bursty traffic: Azure's code trace (idle minutes, 10x swings within seconds), where start-up outruns no burst.
const code = `${traces}azure_llm_2023_code.csv`;
const [codeCompare, wallCode] = await timed(() => runReplay({tracePath: code, rateScale: 10, ttftMs: 1000, itlMs: 30, policies}));
console.log(`\nAzure code, 4 policies in ${wallCode.toFixed(1)} s wall\n${table(codeCompare)}`);
