import {SseParser} from '../../src/engine/openai-http/sse-parser.js';
import {OpenAiStreamReader} from '../../src/engine/openai-http/openai-stream.js';
const head = '{"id":"cmpl-bench0000000000000000","object":"text_completion","created":1767225600,"model":"Qwen/Qwen3-0.6B"';
const W = [' the', ' quick', ' brown', ' fox'];
const events = Array.from({length: 1024}, (_, i) => Buffer.from(`data: ${head},"choices":[{"index":0,"text":${JSON.stringify(W[i % 4])},"logprobs":null,"finish_reason":null,"stop_reason":null}],"usage":null}\n\n`));
function run(mode: string) {
  let count = 0;
  const t0 = performance.now();
  const R = 300;
  for (let r = 0; r < R; r++) {
    const reader = new OpenAiStreamReader('completions', (e) => { if (e.type === 'content') count++; });
    const parser = new SseParser(mode === 'noop' ? () => {} : reader.accept);
    for (const b of events) parser.push(b);
    parser.end();
  }
  const dt = performance.now() - t0;
  console.log(mode, ((dt * 1e6) / (R * 1024)).toFixed(0), 'ns/event', count);
}
for (let i = 0; i < 3; i++) { run('noop'); run('full'); }
