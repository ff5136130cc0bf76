import {escapeHtml} from './escape.js';

/** One row of a fact table: what, and its value as text. */
export type Fact = [label: string, value: string];

/** A two-column table of labelled facts under a caption; every label and value is escaped. */
export function factTable(caption: string, facts: Fact[]): string {
  const rows = facts.map(([label, value]) => `<tr><th scope="row">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`);
  return `<table class="facts"><caption>${escapeHtml(caption)}</caption>\n${rows.join('\n')}\n</table>`;
}
