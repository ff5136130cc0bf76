import {labelsMatch, parsePrometheusText} from '../../src/planner/observe/prometheus-text.js';

/** The value of one sample in Prometheus text format, matched by exact family name and optional labels. */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  return parsePrometheusText(text).samples.find((sample) => sample.name === name && labelsMatch(sample.labels, labels))?.value;
}

export async function scrapeMetrics(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}
