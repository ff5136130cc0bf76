/** The value of one sample in Prometheus text format, matched by exact family name and optional labels. */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const brace = line.indexOf('{');
    const space = line.lastIndexOf(' ');
    const family = brace >= 0 && brace < space ? line.slice(0, brace) : line.slice(0, space);
    if (family !== name) continue;
    const labelText = brace >= 0 ? line.slice(brace, line.lastIndexOf('}') + 1) : '';
    if (Object.entries(labels).every(([key, value]) => labelText.includes(`${key}="${value}"`))) return Number(line.slice(space + 1));
  }
  return undefined;
}

export async function scrapeMetrics(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}
