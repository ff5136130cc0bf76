// Text and data placed inside the report's HTML.

const HTML_ENTITIES: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'};

/** Text safe as HTML element content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ENTITIES[character]!);
}

/**
 * JSON safe inside a <script> element: `<` can occur only inside JSON strings, where \u003c means the same, so
 * neither `</script` (which would end the element) nor `<!--` (which changes how the element is parsed) survives.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

const PLOTLY_ENTITIES: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;'};

/**
 * Text safe as a Plotly trace name, hover or axis label: Plotly reads tags in text (`<b>`, `<a href>`) and turns
 * only some entities back into characters (&lt; &gt; &amp;, not &quot;), so exactly these three are escaped.
 */
export function escapePlotlyText(text: string): string {
  return text.replace(/[&<>]/g, (character) => PLOTLY_ENTITIES[character]!);
}
