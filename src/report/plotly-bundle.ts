import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';

let bundle: string | undefined;

/**
 * The source of plotly.js (plotly.js-dist-min), to inline in the report so it works offline. Inlining is safe only
 * while the bundle holds no `<script` or `</script`: either would end or re-nest the <script> element around it.
 */
export function plotlyBundle(): string {
  if (bundle === undefined) {
    const source = readFileSync(createRequire(import.meta.url).resolve('plotly.js-dist-min'), 'utf8');
    if (/<\/?script/i.test(source)) throw new Error('plotly.min.js contains "<script" or "</script" and cannot be inlined in a <script> element.');
    bundle = source;
  }
  return bundle;
}
