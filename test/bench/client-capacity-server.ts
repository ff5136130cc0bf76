// The server side of client-capacity.bench.ts, run in its own process: it answers every request with the same
// pre-built vLLM-style completions stream (one HTTP chunk per SSE event, as vLLM sends them), written in one go, so
// the socket, not the server, sets the pace. It parses only enough HTTP to find where each request ends.
// Usage: npx tsx test/bench/client-capacity-server.ts TOKENS_PER_STREAM   (prints {"port": N} when listening)
import {createServer, type Socket} from 'node:net';

const tokensPerStream = Number(process.argv[2] ?? 1024);
const WORDS = [' the', ' quick', ' brown', ' fox', ' jumps', ' over', ' a', ' lazy', ' dog', ' again'];

function httpChunk(payload: string): string {
  return `${Buffer.byteLength(payload).toString(16)}\r\n${payload}\r\n`;
}

function buildResponse(): Buffer {
  const head = '{"id":"cmpl-bench0000000000000000","object":"text_completion","created":1767225600,"model":"Qwen/Qwen3-0.6B"';
  const parts = ['HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\ncache-control: no-cache\r\nconnection: keep-alive\r\ntransfer-encoding: chunked\r\n\r\n'];
  for (let token = 0; token < tokensPerStream; token++) {
    const finish = token === tokensPerStream - 1 ? '"length"' : 'null';
    const text = JSON.stringify(WORDS[token % WORDS.length]);
    parts.push(httpChunk(`data: ${head},"choices":[{"index":0,"text":${text},"logprobs":null,"finish_reason":${finish},"stop_reason":null}],"usage":null}\n\n`));
  }
  parts.push(httpChunk(`data: ${head},"choices":[],"usage":{"prompt_tokens":8,"total_tokens":${8 + tokensPerStream},"completion_tokens":${tokensPerStream}}}\n\n`));
  parts.push(httpChunk('data: [DONE]\n\n'), '0\r\n\r\n');
  return Buffer.from(parts.join(''));
}

const response = buildResponse();
const HEADER_END = Buffer.from('\r\n\r\n');

/** Answers each complete request on a kept-alive connection (headers, then content-length bytes of body). */
function serve(socket: Socket): void {
  socket.setNoDelay(true);
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      const headerEnd = pending.indexOf(HEADER_END);
      if (headerEnd === -1) return;
      const length = /content-length:\s*(\d+)/i.exec(pending.subarray(0, headerEnd).toString('latin1'));
      const requestEnd = headerEnd + 4 + Number(length?.[1] ?? 0);
      if (pending.length < requestEnd) return;
      pending = pending.subarray(requestEnd);
      socket.write(response);
    }
  });
  socket.on('error', () => socket.destroy());
}

// Exit with the benchmark, even when it dies without stopping us: it holds the other end of stdin.
process.stdin.on('end', () => process.exit(0)).resume();

const server = createServer(serve);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({port: (server.address() as {port: number}).port, responseBytes: response.length})}\n`);
});
