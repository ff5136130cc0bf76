// The self-contained HTML report of a profile (plotly.js inlined, works offline).
export {renderProfileReport} from './render-report.js';
export type {ProfileReportInput, ReportExtra} from './types.js';
export {REPORT_FILE, writeProfileReport} from './write-report.js';
