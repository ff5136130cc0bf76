// The Prometheus text exposition format (version 0.0.4), parsed and written back. prom-client only writes it; the
// planner reads engines' /metrics and the local router re-exposes its engines' series, so both directions live here.

/** One sample line: `name{labels} value [timestamp]`. */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestampMs?: number;
}

export interface ParsedMetrics {
  samples: MetricSample[];
  /** `# TYPE` per family name. */
  types: Map<string, string>;
  /** `# HELP` per family name, unescaped. */
  help: Map<string, string>;
  /** Lines that are not valid exposition, as `line N: reason`; a bad line never hides the good ones. */
  malformed: string[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

/** Parses a whole exposition. Never throws: malformed lines are listed in `malformed` and skipped. */
export function parsePrometheusText(text: string): ParsedMetrics {
  const parsed: ParsedMetrics = {samples: [], types: new Map(), help: new Map(), malformed: []};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const meta = /^#\s+(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\s+(.*))?$/.exec(line);
      if (meta?.[1] === 'TYPE') parsed.types.set(meta[2]!, (meta[3] ?? 'untyped').trim());
      else if (meta?.[1] === 'HELP') parsed.help.set(meta[2]!, unescapeHelp(meta[3] ?? ''));
      continue;
    }
    const sample = parseSampleLine(line.trimStart());
    if (typeof sample === 'string') parsed.malformed.push(`line ${index + 1}: ${sample}`);
    else parsed.samples.push(sample);
  }
  return parsed;
}

/** A sample, or why the line is not one. */
function parseSampleLine(line: string): MetricSample | string {
  const name = NAME.exec(line)?.[0];
  if (!name) return 'no metric name';
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    rest = rest.slice(1);
    for (;;) {
      rest = rest.trimStart();
      if (rest.startsWith('}')) {
        rest = rest.slice(1);
        break;
      }
      const labelName = LABEL_NAME.exec(rest)?.[0];
      if (!labelName) return 'bad label name';
      rest = rest.slice(labelName.length).trimStart();
      if (!rest.startsWith('=')) return `label ${labelName} has no value`;
      rest = rest.slice(1).trimStart();
      if (!rest.startsWith('"')) return `label ${labelName} has no quoted value`;
      rest = rest.slice(1);
      const value = readQuoted(rest);
      if (!value) return `label ${labelName} has an unterminated value`;
      labels[labelName] = value.text;
      rest = rest.slice(value.length).trimStart();
      if (rest.startsWith(',')) rest = rest.slice(1);
      else if (!rest.startsWith('}')) return 'labels are not separated by commas';
    }
  }
  if (!/^[ \t]/.test(rest)) return 'no value';
  const fields = rest.trim().split(/[ \t]+/);
  if (fields.length > 2) return 'trailing text after the timestamp';
  const value = parseValue(fields[0]!);
  if (value === undefined) return `bad value ${fields[0]}`;
  const sample: MetricSample = {name, labels, value};
  if (fields[1] !== undefined) {
    const timestampMs = Number(fields[1]);
    if (!Number.isFinite(timestampMs)) return `bad timestamp ${fields[1]}`;
    sample.timestampMs = timestampMs;
  }
  return sample;
}

/** The text of a label value up to its closing quote, unescaped, and how many characters it took (quote included). */
function readQuoted(text: string): {text: string; length: number} | undefined {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '"') return {text: out, length: i + 1};
    if (char !== '\\') {
      out += char;
      continue;
    }
    const next = text[++i];
    if (next === undefined) return undefined;
    out += next === 'n' ? '\n' : next;
  }
  return undefined;
}

function parseValue(field: string): number | undefined {
  switch (field) {
    case 'NaN': return Number.NaN;
    case '+Inf': case 'Inf': return Number.POSITIVE_INFINITY;
    case '-Inf': return Number.NEGATIVE_INFINITY;
  }
  // Number('') and Number('0x10') are numbers; the format allows neither.
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(field)) return undefined;
  return Number(field);
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(\\|n)/g, (_, char: string) => (char === 'n' ? '\n' : '\\'));
}

const FAMILY_SUFFIXES = ['_bucket', '_sum', '_count', '_created', '_total', '_info'];

/** The family a sample belongs to: its own name when declared, else its name without a histogram/summary suffix. */
export function familyName(sampleName: string, types: ReadonlyMap<string, string>): string {
  if (types.has(sampleName)) return sampleName;
  for (const suffix of FAMILY_SUFFIXES) {
    if (sampleName.endsWith(suffix) && types.has(sampleName.slice(0, -suffix.length))) return sampleName.slice(0, -suffix.length);
  }
  return sampleName;
}

/** Writes samples back as exposition text, each family's HELP and TYPE once, its samples together. */
export function formatPrometheusText(metrics: Pick<ParsedMetrics, 'samples' | 'types' | 'help'>): string {
  const families = new Map<string, MetricSample[]>();
  for (const sample of metrics.samples) {
    const family = familyName(sample.name, metrics.types);
    let members = families.get(family);
    if (!members) families.set(family, (members = []));
    members.push(sample);
  }
  let out = '';
  for (const [family, samples] of families) {
    const help = metrics.help.get(family);
    if (help !== undefined) out += `# HELP ${family} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n`;
    const type = metrics.types.get(family);
    if (type !== undefined) out += `# TYPE ${family} ${type}\n`;
    for (const sample of samples) out += formatSample(sample) + '\n';
  }
  return out;
}

function formatSample(sample: MetricSample): string {
  const labels = Object.entries(sample.labels)
    .map(([name, value]) => `${name}="${value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`)
    .join(',');
  const value = Number.isNaN(sample.value) ? 'NaN' : sample.value === Infinity ? '+Inf' : sample.value === -Infinity ? '-Inf' : String(sample.value);
  return `${sample.name}${labels ? `{${labels}}` : ''} ${value}${sample.timestampMs === undefined ? '' : ` ${sample.timestampMs}`}`;
}

/**
 * The sum of every series of `name` whose labels include `match` (vLLM exposes one series per engine core, label
 * `engine`, so a data-parallel server's totals are sums). Undefined when no series matches.
 */
export function sumSeries(samples: readonly MetricSample[], name: string, match: Record<string, string> = {}): number | undefined {
  let total: number | undefined;
  for (const sample of samples) {
    if (sample.name !== name || !labelsMatch(sample.labels, match)) continue;
    total = (total ?? 0) + sample.value;
  }
  return total;
}

export function labelsMatch(labels: Record<string, string>, match: Record<string, string>): boolean {
  for (const key in match) if (labels[key] !== match[key]) return false;
  return true;
}
