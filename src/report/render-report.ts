import {formatTimestamp} from './format.js';
import {reportPageHtml} from './page.js';
import {plotlyBundle} from './plotly-bundle.js';
import {reportData} from './report-data.js';
import {reportSections} from './sections.js';
import {reportTitle, summaryHtml} from './summary.js';
import type {ProfileReportInput} from './types.js';

/** The self-contained HTML report of a profile: summary, latency and throughput plots, and the fits' residuals. */
export function renderProfileReport(input: ProfileReportInput): string {
  const data = reportData(input);
  const {tool} = data.profile;
  return reportPageHtml({
    title: reportTitle(data.profile.engine),
    subtitle: `Made by ${tool.name} ${tool.version} on ${formatTimestamp(tool.createdAt)}.`,
    summaryHtml: summaryHtml(data),
    sections: reportSections(data),
    plotly: plotlyBundle(),
  });
}
