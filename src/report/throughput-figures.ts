import type {Data} from 'plotly.js-dist-min';
import {
  decodeTokensPerSecondPerGpu,
  itlAt,
  type ItlModel,
  type PrefillPoint,
  prefillTokensPerSecondPerGpu,
  ttftAt,
  type TtftModel,
} from '../fit/index.js';
import type {ProfileDecodePoint} from '../profile/artifact.js';
import {byContext} from './contexts.js';
import {type ReportFigure, figureLayout} from './figure.js';
import {formatCount} from './format.js';
import {evenlySpaced, wholeNumbersBetween} from './sampling.js';
import {contextFitLine, PRIMARY, seriesStyle} from './series-style.js';

// The frontiers a user picks an operating point from: how many tokens per second each GPU delivers at a given
// latency. Measured points are markers (their rate is worked out as the fit's is, n / ITL or ISL / TTFT per GPU);
// the fit is the line.

export interface GpuCount {
  gpus: number;
  /** False when the engine's GPU count is unknown and 1 is assumed. */
  known: boolean;
}

export function decodeFrontierFigure(batched: readonly ProfileDecodePoint[], contexts: readonly number[], model: ItlModel | undefined, gpu: GpuCount): ReportFigure {
  const title = 'Decode throughput per GPU vs inter-token latency';
  const perGpu = (n: number, itlMs: number) => (n / itlMs) * 1000 / gpu.gpus;
  const data: Data[] = byContext(batched).flatMap(({context, points}) => {
    const style = seriesStyle(contexts.indexOf(context));
    const group = `ctx-${context}`;
    const hover = `${formatCount(context)}-token context<br>%{customdata} sequences<br>ITL %{x:.2f} ms<br>%{y:.0f} tokens/s/GPU`;
    const measured: Data = {
      type: 'scatter',
      mode: 'markers',
      name: formatCount(context),
      legendgroup: group,
      x: points.map((point) => point.itlMs),
      y: points.map((point) => perGpu(point.concurrency, point.itlMs)),
      customdata: points.map((point) => point.concurrency),
      marker: {symbol: style.symbol, size: 8, color: style.colour},
      hovertemplate: `${hover}<extra>measured</extra>`,
    };
    if (!model) return [measured];
    const concurrencies = points.map((point) => point.concurrency);
    const grid = wholeNumbersBetween(Math.min(...concurrencies), Math.max(...concurrencies));
    const fit = contextFitLine(`${formatCount(context)} fit`, group, style, {
      x: grid.map((n) => itlAt(model, n, context)),
      y: grid.map((n) => decodeTokensPerSecondPerGpu(model, n, context, gpu.gpus)),
      customdata: grid,
      hovertemplate: `${hover}<extra>fit</extra>`,
    });
    return [measured, fit];
  });
  const legendTitle = model ? 'Context (tokens)<br>markers: measured, lines: fit' : 'Context (tokens)';
  return {
    id: 'plot-decode-frontier',
    title,
    caption: `Output tokens per second per GPU against ITL, one series per context, as concurrency rises along each. ${gpuNote(gpu)}`,
    data,
    layout: figureLayout(title, {x: 'ITL (ms)', y: 'Decode throughput (tokens/s/GPU)'}, legendTitle),
  };
}

export function prefillFrontierFigure(points: readonly PrefillPoint[], model: TtftModel | undefined, gpu: GpuCount): ReportFigure {
  const title = 'Prefill throughput per GPU vs time to first token';
  const hover = 'ISL %{customdata:.0f} tokens<br>TTFT %{x:.1f} ms<br>%{y:.0f} tokens/s/GPU';
  const data: Data[] = [
    {
      type: 'scatter',
      mode: 'markers',
      name: 'measured',
      x: points.map((point) => point.ttftMs),
      y: points.map((point) => (point.isl / point.ttftMs) * 1000 / gpu.gpus),
      customdata: points.map((point) => point.isl),
      marker: {symbol: PRIMARY.symbol, size: 8, color: PRIMARY.colour},
      hovertemplate: `${hover}<extra>measured</extra>`,
    },
  ];
  if (model) {
    const isls = points.map((point) => point.isl);
    const grid = evenlySpaced(Math.min(...isls), Math.max(...isls));
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `fit (${model.form})`,
      x: grid.map((isl) => ttftAt(model, isl)),
      y: grid.map((isl) => prefillTokensPerSecondPerGpu(model, isl, gpu.gpus)),
      customdata: grid,
      line: {color: PRIMARY.colour, width: 2},
      hovertemplate: `${hover}<extra>fit</extra>`,
    });
  }
  return {
    id: 'plot-prefill-frontier',
    title,
    caption: `Prompt tokens per second per GPU against TTFT for lone requests, as the input length rises. ${gpuNote(gpu)}`,
    data,
    layout: figureLayout(title, {x: 'TTFT (ms)', y: 'Prefill throughput (tokens/s/GPU)'}),
  };
}

function gpuNote(gpu: GpuCount): string {
  return gpu.known ? `Divided by the engine's ${gpu.gpus} GPU(s).` : 'The engine\'s GPU count is unknown: rates are per engine (1 GPU assumed).';
}
