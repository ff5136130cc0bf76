import type {FittedModel} from '../fit/index.js';
import type {EngineFacts} from '../profile/artifact.js';
import {escapeHtml} from './escape.js';
import {type Fact, factTable} from './fact-table.js';
import {formatCount, formatDuration, formatPercent, formatTimestamp, UNKNOWN} from './format.js';
import type {ReportData} from './report-data.js';

// The report's header: the engine the points describe, where they came from, and how far to trust each fit.

export function reportTitle(engine: EngineFacts): string {
  return `Profile report: ${engine.model ?? 'unknown model'}${engine.accelerator ? ` on ${engine.accelerator}` : ''}`;
}

export function summaryHtml(data: ReportData): string {
  return [
    '<section id="summary" aria-labelledby="summary-heading">',
    '<h2 id="summary-heading">Summary</h2>',
    '<div class="summary-grid">',
    factTable('Engine', engineFacts(data.profile.engine)),
    factTable('Profile', profileFacts(data)),
    '</div>',
    fitTable(data),
    '</section>',
  ].join('\n');
}

function orUnknown(value: number | string | null, unit = ''): string {
  if (value === null) return UNKNOWN;
  return typeof value === 'number' ? `${formatCount(value)}${unit}` : value;
}

function engineFacts(engine: EngineFacts): Fact[] {
  return [
    ['Model', orUnknown(engine.model)],
    ['Accelerator', orUnknown(engine.accelerator)],
    ['Backend', `${engine.backend} ${engine.backendVersion ?? `(version ${UNKNOWN})`}`],
    ['Tensor parallel (TP)', orUnknown(engine.tp)],
    ['GPUs per engine', orUnknown(engine.gpusPerEngine)],
    ['Role', orUnknown(engine.role)],
    ['KV cache capacity', orUnknown(engine.kvCapacityTokens, ' tokens')],
    ['max_model_len', orUnknown(engine.maxModelLen, ' tokens')],
    ['max_num_seqs', orUnknown(engine.maxNumSeqs)],
    ['max_num_batched_tokens', orUnknown(engine.maxNumBatchedTokens, ' tokens')],
  ];
}

function profileFacts(data: ReportData): Fact[] {
  const {tool, source} = data.profile;
  const {extra} = data;
  const decode = data.batched.length + data.queued.length;
  const facts: Fact[] = [
    ['Tool', `${tool.name} ${tool.version}`],
    ['Created', formatTimestamp(tool.createdAt)],
    ['Source', source.kind === 'dynamo-import' ? `imported from Dynamo (${source.files.length} file(s))` : 'measured by dynamo-plan'],
    ['Prefill points', prefillSpread(data)],
    ['Decode points', `${formatCount(decode)} at ${data.contexts.length} context length(s)${data.queued.length > 0 ? `, ${data.queued.length} above max_num_seqs` : ''}`],
  ];
  if (extra.pointsSpent !== undefined) facts.push(['Points spent', formatCount(extra.pointsSpent)]);
  if (extra.engineTimeS !== undefined) facts.push(['Engine time', formatDuration(extra.engineTimeS)]);
  if (extra.wallTimeS !== undefined) facts.push(['Wall time', formatDuration(extra.wallTimeS)]);
  return facts;
}

function prefillSpread({prefill}: ReportData): string {
  if (prefill.length === 0) return '0';
  const isls = prefill.map((point) => point.isl);
  return `${formatCount(prefill.length)}, ISL ${formatCount(Math.min(...isls))} to ${formatCount(Math.max(...isls))} tokens`;
}

function fitTable(data: ReportData): string {
  const row = (quantity: string, model: FittedModel | undefined) => {
    if (!model) return `<tr><th scope="row">${quantity}</th><td colspan="6">no fit</td></tr>`;
    const {quality} = model;
    const cells = [model.form, formatPercent(quality.cvMape), formatPercent(quality.cvMaxApe), quality.r2.toFixed(4), formatPercent(quality.mape), formatCount(quality.points)];
    return `<tr><th scope="row">${quantity}</th>${cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`;
  };
  return [
    '<table class="fits">',
    '<caption>Fit accuracy (errors on points held out of the fit: what a sizing from it should expect)</caption>',
    '<tr><th scope="col">Fit</th><th scope="col">Form</th><th scope="col">CV MAPE</th><th scope="col">CV max error</th>' +
      '<th scope="col">R\u00b2</th><th scope="col">In-sample MAPE</th><th scope="col">Points</th></tr>',
    row('TTFT', data.ttft),
    row('ITL', data.itl),
    '</table>',
  ].join('\n');
}
