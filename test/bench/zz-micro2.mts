import {ChunkTemplate} from '../../src/engine/openai-http/chunk-template.js';
const head = '{"id":"cmpl-bench0000000000000000","object":"text_completion","created":1767225600,"model":"Qwen/Qwen3-0.6B"';
const W = [' the', ' quick', ' brown', ' fox'];
const texts = Array.from({length: 1024}, (_, i) => `data: ${head},"choices":[{"index":0,"text":${JSON.stringify(W[i % 4])},"logprobs":null,"finish_reason":null,"stop_reason":null}],"usage":null}\n\n`);
const datas = texts.map((t) => t.slice(6, -2));
const bufs = texts.map((t) => Buffer.from(t));
function time(name: string, fn: (i: number) => unknown) {
  const R = 300; let x = 0;
  const t0 = performance.now();
  for (let r = 0; r < R; r++) for (let i = 0; i < 1024; i++) if (fn(i)) x++;
  console.log(name, ((performance.now() - t0) * 1e6 / (R * 1024)).toFixed(0), 'ns', x);
}
const tpl = new ChunkTemplate();
tpl.learn(datas[0]!, 'text', ' the', false);
const td = new TextDecoder();
for (let k = 0; k < 2; k++) {
  time('match', (i) => tpl.match(datas[i]!));
  time('decode', (i) => td.decode(bufs[i]!, {stream: true}));
  time('decode+slice+match', (i) => { const s = td.decode(bufs[i]!, {stream: true}); const nl = s.indexOf('\n'); const line = s.slice(0, nl); return tpl.match(line.slice(6)); });
  time('JSON.parse', (i) => JSON.parse(datas[i]!));
}
