const head = '{"id":"cmpl-bench0000000000000000","object":"text_completion","created":1767225600,"model":"Qwen/Qwen3-0.6B"';
const W = [' the', ' quick', ' brown', ' fox'];
const datas = Array.from({length: 1024}, (_, i) => `${head},"choices":[{"index":0,"text":${JSON.stringify(W[i % 4])},"logprobs":null,"finish_reason":null,"stop_reason":null}],"usage":null}`);
const at = datas[0]!.indexOf('" the"');
class A { prefix = ''; suffix = ''; learned = false;
  match(data: string) { if (!this.learned) return undefined; const end = data.length - this.suffix.length; if (end - this.prefix.length < 2 || !data.startsWith(this.prefix) || !data.endsWith(this.suffix)) return undefined; return data.slice(this.prefix.length, end); } }
class B { prefix = ''; suffix = ''; learned = false;
  match(data: string) { if (!this.learned) return undefined; const {prefix, suffix} = this; const end = data.length - suffix.length; if (end - prefix.length < 2 || data.substring(0, prefix.length) !== prefix || data.substring(end) !== suffix) return undefined; return data.slice(prefix.length, end); } }
const a = new A(); a.prefix = datas[0]!.slice(0, at); a.suffix = datas[0]!.slice(at + 6); a.learned = true;
const a2 = new A(); a2.prefix = (' ' + datas[0]!.slice(0, at)).slice(1); a2.suffix = (' ' + datas[0]!.slice(at + 6)).slice(1); a2.learned = true;
const a3 = new A(); a3.prefix = JSON.parse(JSON.stringify(datas[0]!.slice(0, at))); a3.suffix = JSON.parse(JSON.stringify(datas[0]!.slice(at + 6))); a3.learned = true;
const b = new B(); b.prefix = a.prefix; b.suffix = a.suffix; b.learned = true;
const variants: Record<string, (d: string) => unknown> = {A: (d) => a.match(d), A2: (d) => a2.match(d), A3flat: (d) => a3.match(d), B: (d) => b.match(d)};
for (let k = 0; k < 4; k++) for (const [name, fn] of Object.entries(variants)) {
  const R = 200; let x = 0;
  const t0 = performance.now();
  for (let r = 0; r < R; r++) for (let i = 0; i < 1024; i++) if (fn(datas[i]!)) x++;
  if (k > 1) console.log(name, ((performance.now() - t0) * 1e6 / (R * 1024)).toFixed(0), 'ns', x);
}
