/** What a report page's plot looks like once Plotly has drawn it in the browser. */
export interface DrawnPlot {
  id: string;
  svg: boolean;
  /** Traces Plotly holds for the plot (gd.data); -1 before Plotly has set them. */
  traces: number;
  /** Trace groups drawn into the SVG. */
  drawn: number;
  /** The plot shows the "No data" annotation of an empty chart. */
  noData: boolean;
}

/**
 * Page script: waits until every `.plot` has its SVG and has drawn as many trace groups as it has traces (at least
 * `minTraces`), or 15 s pass, then describes each plot.
 */
export function drawnPlotsScript(minTraces: number): string {
  return `(async () => {
  const plots = [...document.querySelectorAll('.plot')];
  const describe = (plot) => ({
    id: plot.id,
    svg: plot.querySelector('.main-svg') !== null,
    traces: Array.isArray(plot.data) ? plot.data.length : -1,
    drawn: plot.querySelectorAll('.scatterlayer .trace').length,
    noData: [...plot.querySelectorAll('.annotation-text')].some((text) => text.textContent === 'No data'),
  });
  const done = () => plots.map(describe).every((plot) => plot.svg && plot.traces >= ${minTraces} && plot.drawn === plot.traces);
  for (const deadline = Date.now() + 15000; !done() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 50));
  return plots.map(describe);
})()`;
}
