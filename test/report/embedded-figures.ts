// The figures a report carries, read back out of its HTML the way its drawing script reads them.
import type {Data} from 'plotly.js-dist-min';

export interface EmbeddedFigure {
  id: string;
  data: Data[];
}

export function embeddedFigures(html: string): EmbeddedFigure[] {
  const json = /<script type="application\/json" id="report-figures">([\s\S]*?)<\/script>/.exec(html)?.[1];
  if (json === undefined) throw new Error('The report carries no figures element.');
  return JSON.parse(json) as EmbeddedFigure[];
}
