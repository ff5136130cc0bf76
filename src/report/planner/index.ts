// The planner's self-contained HTML diagnostics report (plotly.js inlined), built on the profile report's page.
export {renderPlannerReport} from './render-planner-report.js';
export type {PlannerReportInput} from './types.js';
