import type {SizedRole, SizingResult} from '../sizing/index.js';
import type {SizingValidation, ValidatedSizing} from '../sizing/validate.js';
import {renderTable} from './table.js';

// The text form of a sizing answer: what `size` prints, and what `tune` prints once when it has no terminal.

/** The sizing as `dynamo-plan size` prints it: a headline, the roles table, throughput, the other mode, candidates. */
export function renderSizing(result: SizingResult): string {
  const {sla, workload} = result;
  const target = `TTFT ${formatMs(sla.ttft_ms)} ms, ITL ${formatMs(sla.itl_ms)} ms at ${sla.percentile}${sla.e2e_ms === null ? '' : ` (from E2E ${formatMs(sla.e2e_ms)} ms)`}`;
  const load = `${workload.request_rate.toFixed(2)} req/s${workload.concurrency === null ? '' : ` (${workload.concurrency} in flight)`}, ISL ${workload.isl.toFixed(0)}, OSL ${workload.osl.toFixed(0)}${workload.samples > 0 ? ` (${workload.samples} requests of ${workload.source})` : ''}`;
  const lines = [
    `${result.mode === 'disagg' ? 'Disaggregated' : 'Aggregated'}: ${result.total_gpus} GPUs${result.nodes === null ? '' : ` on ${result.nodes} node(s)`} for ${target}; ${load}${result.method === 'dynamo' ? " [Dynamo's classic formulas]" : ''}`,
    '',
    renderTable(
      ['role', 'config', 'replicas', 'GPUs', 'req/s per engine (max)', 'batch', `TTFT ${sla.percentile} (target)`, `ITL ${sla.percentile} (target)`, 'bound by'],
      result.roles.map((role) => roleRow(role, result)),
    ),
    '',
    `Throughput ${result.output_tokens_per_s.toFixed(0)} output tokens/s, ${result.throughput_per_gpu.toFixed(0)} per GPU; headroom to ${result.capacity_rps.toFixed(2)} req/s within the SLA.`,
  ];
  if (result.load_served_fraction < 1) lines.push(`Only ${(result.load_served_fraction * 100).toFixed(1)}% of the load fits the GPU budget.`);
  if (result.alternative) {
    const alt = result.alternative;
    const name = alt.mode === 'disagg' ? 'Disaggregated' : 'Aggregated';
    if (!alt.feasible) lines.push(`${name} cannot meet the SLA: ${alt.reason}.`);
    else if (result.advantage) {
      const saved = result.advantage.gpus_saved;
      lines.push(`${name} would need ${alt.total_gpus} GPUs (${alt.throughput_per_gpu!.toFixed(0)} tokens/s per GPU): ${result.mode} ${saved > 0 ? `saves ${saved} GPU(s)` : 'needs as many GPUs but has more headroom'}, ${result.advantage.throughput_per_gpu_ratio.toFixed(2)}x the throughput per GPU.`);
    }
  }
  lines.push('', renderTable(['candidate', 'role', 'GPUs/engine', 'req/s per GPU', 'best TTFT', 'best ITL', 'bound by', 'meets SLA'], result.candidates.map((entry) => [
    entry.config,
    entry.role,
    String(entry.gpus_per_engine),
    entry.capacity_rps_per_gpu.toFixed(2),
    entry.best_ttft_ms === null ? '-' : formatMs(entry.best_ttft_ms),
    entry.best_itl_ms === null ? '-' : formatMs(entry.best_itl_ms),
    entry.binding,
    entry.feasible ? 'yes' : entry.excluded ? `no: ${entry.excluded}` : 'no',
  ])));
  if (result.notes.length > 0) lines.push('', ...result.notes.map((note) => `Note: ${note}`));
  return lines.join('\n');
}

function roleRow(role: SizedRole, result: SizingResult): string[] {
  const versus = (value: number | null, limit: number) => (value === null ? '-' : `${formatMs(value)} (${formatMs(limit)})`);
  return [
    role.role,
    role.config.name,
    `${role.replicas}${role.replicas_set_by === 'demand' ? '' : ` (${role.replicas_set_by})`}`,
    String(role.gpus),
    `${role.load_rps_per_engine.toFixed(2)} (${role.capacity_rps_per_engine.toFixed(2)})`,
    role.batch === null ? '-' : role.batch.toFixed(1),
    versus(role.predicted_ttft_ms, result.sla.ttft_ms),
    versus(role.predicted_itl_ms, result.sla.itl_ms),
    role.binding,
  ];
}

/** Milliseconds with three significant figures or so: 182, 15.1, 4.78. */
export function formatMs(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** The sizing, then its check by simulation when there is one (`size --validate`, `plan`). */
export function renderValidatedSizing(result: ValidatedSizing): string {
  return renderSizing(result) + (result.validation ? `\n\n${renderValidation(result.validation)}` : '');
}

function renderValidation(validation: SizingValidation): string {
  const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
  const row = (name: string, check: SizingValidation['ttft_ms']) => [name, formatMs(check.target), check.predicted === null ? '-' : formatMs(check.predicted), check.achieved === null ? 'missed' : formatMs(check.achieved), pct(check.attainment)];
  const load = validation.load === 'trace' ? 'the trace replayed' : 'Poisson arrivals at the sized rate';
  return [
    `Validation: ${validation.requests} requests (${load}) simulated over ${validation.simulated_s.toFixed(0)} s of virtual time; figures over the last ${validation.measured}.`,
    renderTable(['latency', 'target ms', `predicted ${validation.percentile}`, `simulated ${validation.percentile}`, 'within target'], [row('TTFT', validation.ttft_ms), row('ITL (per request)', validation.itl_ms)]),
    `SLA attainment (both targets): ${pct(validation.sla_attainment)}. ${validation.meets_sla ? `The SLA holds at ${validation.percentile}.` : `The SLA does NOT hold at ${validation.percentile}: size with more headroom (a higher --percentile) or relax the targets.`}`,
  ].join('\n');
}
