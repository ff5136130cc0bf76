import type {ReportFigure} from './figure.js';
import {itlFigure} from './itl-figure.js';
import type {ReportData} from './report-data.js';
import {itlResidualFigure, ttftResidualFigure} from './residual-figures.js';
import {decodeFrontierFigure, prefillFrontierFigure} from './throughput-figures.js';
import {ttftFigure} from './ttft-figure.js';

/** A part of the report: its plots, and notes saying which plots are missing and why. */
export interface ReportSection {
  id: string;
  heading: string;
  figures: ReportFigure[];
  notes: string[];
}

const NO_PREFILL = 'No prefill points were measured.';
const NO_DECODE = 'No decode points within max_num_seqs were measured.';

export function reportSections(data: ReportData): ReportSection[] {
  return [ttftSection(data), itlSection(data), throughputSection(data), residualSection(data)];
}

function section(id: string, heading: string, parts: (ReportFigure | string)[]): ReportSection {
  return {
    id,
    heading,
    figures: parts.filter((part): part is ReportFigure => typeof part !== 'string'),
    notes: parts.filter((part): part is string => typeof part === 'string'),
  };
}

function ttftSection({prefill, ttft}: ReportData): ReportSection {
  return section('ttft', 'Time to first token', [prefill.length > 0 ? ttftFigure(prefill, ttft) : `${NO_PREFILL} The TTFT plot is omitted.`]);
}

function itlSection({batched, queued, contexts, itl}: ReportData): ReportSection {
  const any = batched.length + queued.length > 0;
  return section('itl', 'Inter-token latency', [any ? itlFigure(batched, queued, contexts, itl) : 'No decode points were measured. The ITL plot is omitted.']);
}

function throughputSection(data: ReportData): ReportSection {
  const gpu = {gpus: data.gpus, known: data.gpusKnown};
  return section('throughput', 'Throughput per GPU vs latency', [
    data.batched.length > 0 ? decodeFrontierFigure(data.batched, data.contexts, data.itl, gpu) : `${NO_DECODE} The decode frontier is omitted.`,
    data.prefill.length > 0 ? prefillFrontierFigure(data.prefill, data.ttft, gpu) : `${NO_PREFILL} The prefill frontier is omitted.`,
  ]);
}

function residualSection({prefill, batched, contexts, ttft, itl}: ReportData): ReportSection {
  const ttftPart = !ttft ? 'There is no TTFT fit, so no TTFT residuals.' : prefill.length === 0 ? `${NO_PREFILL} There are no TTFT residuals.` : ttftResidualFigure(prefill, ttft);
  const itlPart = !itl ? 'There is no ITL fit, so no ITL residuals.' : batched.length === 0 ? `${NO_DECODE} There are no ITL residuals.` : itlResidualFigure(batched, contexts, itl);
  return section('residuals', 'Fit residuals', [ttftPart, itlPart]);
}
