import {Box, Text} from 'ink';
import {Lines} from './Lines.js';
import {formatMs} from '../cli/render-sizing.js';
import type {SizedRole, SizingResult} from '../sizing/index.js';

export interface ResultsPanelProps {
  result: SizingResult;
  width: number;
}

/**
 * The sized deployment: mode, GPUs and throughput per GPU; per role the config, replicas, GPUs, what binds, and the
 * predicted latency against its target with the headroom left; then the other mode for comparison.
 */
export function ResultsPanel({result, width}: ResultsPanelProps) {
  const lines = [
    `${result.mode.toUpperCase()}  ${result.total_gpus} GPUs  ${result.throughput_per_gpu.toFixed(0)} tok/s/GPU  max ${result.capacity_rps.toFixed(1)} req/s`,
    ...result.roles.flatMap((role) => roleLines(role, result)),
    alternativeLine(result),
    ...(result.load_served_fraction < 1 ? [`GPU budget serves ${(result.load_served_fraction * 100).toFixed(1)}% of the load`] : []),
  ];
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>Deployment</Text>
      <Lines lines={lines} />
    </Box>
  );
}

function roleLines(role: SizedRole, result: SizingResult): string[] {
  const set = role.replicas_set_by === 'demand' ? '' : ` (${role.replicas_set_by})`;
  const lines = [`${role.role.padEnd(7)} ${role.config.name}  ${role.replicas} x ${role.config.gpus_per_engine} GPU${set}  binds: ${role.binding}`];
  if (role.predicted_ttft_ms !== null) lines.push(versus('TTFT', role.predicted_ttft_ms, result.sla.ttft_ms, result.sla.percentile));
  if (role.predicted_itl_ms !== null) lines.push(versus('ITL', role.predicted_itl_ms, result.sla.itl_ms, result.sla.percentile));
  return lines;
}

function versus(name: string, predicted: number, target: number, percentile: string): string {
  const headroom = ((target - predicted) / target) * 100;
  return `  ${name} ${percentile} ${formatMs(predicted)} ms vs ${formatMs(target)} target: ${headroom.toFixed(0)}% headroom`;
}

function alternativeLine(result: SizingResult): string {
  const alt = result.alternative;
  if (alt === null) return `${result.mode} only (mode set); auto compares both`;
  if (!alt.feasible) return `vs ${alt.mode}: cannot meet the SLA`;
  const saved = result.advantage?.gpus_saved ?? 0;
  const verdict = saved > 0 ? `${result.mode} saves ${saved}` : 'same GPUs';
  return `vs ${alt.mode}: ${alt.total_gpus} GPUs, ${alt.throughput_per_gpu!.toFixed(0)} tok/s/GPU; ${verdict}`;
}
