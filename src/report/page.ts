import {escapeHtml, scriptSafeJson} from './escape.js';
import type {ReportFigure} from './figure.js';
import type {ReportSection} from './sections.js';

// The HTML document: one file, everything inlined (plotly.js, the figures as JSON, the style), no external URL, so
// it opens offline and can be mailed or archived as it is.

const STYLE = `
body { font-family: system-ui, sans-serif; color: #1a1a1a; background: #fff; margin: 0 auto; max-width: 1100px; padding: 1.5rem; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.3rem; border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; margin-top: 2rem; }
.summary-grid { display: flex; flex-wrap: wrap; gap: 1.5rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; }
th, td { text-align: left; padding: 0.2rem 0.8rem 0.2rem 0; border-bottom: 1px solid #eee; vertical-align: top; }
th[scope="row"] { font-weight: 500; color: #444; }
figure { margin: 1rem 0 2rem; }
.plot { width: 100%; height: 460px; }
figcaption, .note { color: #444; font-size: 0.92rem; }
.note { font-style: italic; }
`;

// Draws every figure; a plot that fails says so on the console rather than leaving a silent gap.
const DRAW_SCRIPT = `
(function () {
  var figures = JSON.parse(document.getElementById('report-figures').textContent);
  var config = {displaylogo: false, responsive: true};
  figures.forEach(function (figure) {
    Plotly.newPlot(figure.id, figure.data, figure.layout, config).catch(function (error) {
      console.error('Could not draw ' + figure.id + ': ' + error);
    });
  });
})();
`;

export interface ReportPage {
  title: string;
  subtitle: string;
  summaryHtml: string;
  sections: ReportSection[];
  plotly: string;
}

export function reportPageHtml(page: ReportPage): string {
  const figures: ReportFigure[] = page.sections.flatMap((section) => section.figures);
  const plotData = figures.map(({id, data, layout}) => ({id, data, layout}));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(page.title)}</h1>
<p>${escapeHtml(page.subtitle)}</p>
</header>
<main>
${page.summaryHtml}
${page.sections.map(sectionHtml).join('\n')}
</main>
<script>${page.plotly}</script>
<script type="application/json" id="report-figures">${scriptSafeJson(plotData)}</script>
<script>${DRAW_SCRIPT}</script>
</body>
</html>
`;
}

function sectionHtml(section: ReportSection): string {
  const heading = `${section.id}-heading`;
  return [
    `<section id="${section.id}" aria-labelledby="${heading}">`,
    `<h2 id="${heading}">${escapeHtml(section.heading)}</h2>`,
    ...section.notes.map((note) => `<p class="note">${escapeHtml(note)}</p>`),
    ...section.figures.map(figureHtml),
    '</section>',
  ].join('\n');
}

function figureHtml(figure: ReportFigure): string {
  return [
    '<figure>',
    `<div class="plot" id="${figure.id}" role="img" aria-label="${escapeHtml(`${figure.title}. ${figure.caption}`)}"></div>`,
    `<figcaption>${escapeHtml(figure.caption)}</figcaption>`,
    '</figure>',
  ].join('\n');
}
