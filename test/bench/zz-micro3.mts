import {ChunkTemplate} from '../../src/engine/openai-http/chunk-template.js';
const head = '{"id":"cmpl-bench0000000000000000","object":"text_completion","created":1767225600,"model":"Qwen/Qwen3-0.6B"';
const W = [' the', ' quick', ' brown', ' fox'];
const datas = Array.from({length: 1024}, (_, i) => `${head},"choices":[{"index":0,"text":${JSON.stringify(W[i % 4])},"logprobs":null,"finish_reason":null,"stop_reason":null}],"usage":null}`);
const tpl = new ChunkTemplate();
tpl.learn(datas[0]!, 'text', ' the', false);
const prefix = (tpl as any).prefix as string, suffix = (tpl as any).suffix as string;
function decode(literal: string) {
  const last = literal.length - 1;
  if (last < 1 || literal.charCodeAt(0) !== 34 || literal.charCodeAt(last) !== 34) return undefined;
  for (let i = 1; i < last; i++) { const c = literal.charCodeAt(i); if (c < 32 || c === 34 || c === 92) return undefined; }
  return literal.slice(1, last);
}
const variants: Record<string, (d: string) => unknown> = {
  cls: (d) => tpl.match(d),
  sw: (d) => d.startsWith(prefix) && d.endsWith(suffix),
  swdec: (d) => d.startsWith(prefix) && d.endsWith(suffix) && decode(d.slice(prefix.length, d.length - suffix.length)),
  sub: (d) => d.substring(0, prefix.length) === prefix && d.substring(d.length - suffix.length) === suffix && decode(d.slice(prefix.length, d.length - suffix.length)),
  parse: (d) => JSON.parse(d),
};
for (let k = 0; k < 4; k++) for (const [name, fn] of Object.entries(variants)) {
  const R = 200; let x = 0;
  const t0 = performance.now();
  for (let r = 0; r < R; r++) for (let i = 0; i < 1024; i++) if (fn(datas[i]!)) x++;
  if (k > 1) console.log(name, ((performance.now() - t0) * 1e6 / (R * 1024)).toFixed(0), 'ns', x);
}
