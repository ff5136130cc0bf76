import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {schemaValidator} from '../../src/schema/validator.js';
import {repoRoot, runCli, startCli} from '../helpers/cli.js';

// The contract: every command's --json output validates against schemas/output/<command-id>.schema.json, and
// every failure under --json validates against schemas/output/error.schema.json.
function expectValid(schema: string, value: unknown): void {
  const validate = schemaValidator(schema);
  const ok = validate(value);
  expect(ok ? [] : validate.errors).toEqual([]);
}

const commandIds = readdirSync(`${repoRoot}/commands`, {recursive: true, encoding: 'utf8'})
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.replace(/\.ts$/, '').replace(/\/index$/, '').split('/').join('-'));

describe('--json output contract', () => {
  it('has an output schema for every command', () => {
    const schemas = readdirSync(`${repoRoot}/schemas/output`);
    for (const id of commandIds) expect(schemas).toContain(`${id}.schema.json`);
  });

  it('sim demo --json', async () => {
    const result = await runCli(['sim', 'demo', '--json', '--model', 'Qwen/Qwen3-0.6B', '--gpu', 'h100_sxm', '--max-tokens', '12']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as {usage: {completion_tokens: number}};
    expectValid('output/sim-demo.schema.json', output);
    expect(output.usage.completion_tokens).toBe(12);
  });

  it('sim serve --json prints one ready line, then serves until SIGTERM (exit 0) or SIGINT (exit 130)', async () => {
    const serve = await startCli(['sim', 'serve', '--json', '--port', '0']);
    const ready = JSON.parse(serve.firstLine) as {url: string};
    expectValid('output/sim-serve.schema.json', ready);
    expect((await fetch(`${ready.url}/health`)).status).toBe(200);
    expect((await serve.stop('SIGTERM')).code).toBe(0);
    const again = await startCli(['sim', 'serve', '--json', '--port', '0']);
    expect((await again.stop('SIGINT')).code).toBe(130);
  });

  it('bench --json (starting the embedded simulator itself)', async () => {
    const result = await runCli(['bench', '--json', '--model', 'Qwen/Qwen3-0.6B', '--gpu', 'h100_sxm', '--num-requests', '12', '--request-rate', '30', '--isl', '64', '--osl', '8']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as {requests: number; output_tokens: number};
    expectValid('output/bench.schema.json', summary);
    expect(summary.requests).toBe(12);
    expect(summary.output_tokens).toBe(12 * 8);
  });

  it('bench fails fast with exit 4 and a hint when the engine cannot be reached', async () => {
    const result = await runCli(['bench', '--url', 'http://127.0.0.1:1', '--num-requests', '3']);
    expect(result.code).toBe(4);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^Error: .*127\.0\.0\.1:1/);
    expect(lines[1]).toMatch(/^Hint: /);
  });

  it('profile, fit and profile predict --json', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dynamo-plan-contract-'));
    try {
      const profile = await runCli(['profile', '--json', '--out', out, '--model', 'Qwen/Qwen3-0.6B', '--gpu', 'h100_sxm', '--budget-s', '30', '--max-points', '14', '--decode-osl', '16', '--concurrency-cap', '32', '--max-fit-error', '1000'], {timeoutMs: 120_000});
      expect(profile.stderr).toBe('');
      expect(profile.code).toBe(0);
      expectValid('output/profile.schema.json', JSON.parse(profile.stdout));
      const fit = await runCli(['fit', out, '--json', '--max-fit-error', '1000']);
      expect(fit.code).toBe(0);
      expectValid('output/fit.schema.json', JSON.parse(fit.stdout));
      const predict = await runCli(['profile', 'predict', out, '--isl', '2000', '--concurrency', '8', '--context', '1024', '--json']);
      expect(predict.code).toBe(0);
      const prediction = JSON.parse(predict.stdout) as {ttft_ms: number; itl_ms: number};
      expectValid('output/profile-predict.schema.json', prediction);
      expect(prediction.ttft_ms).toBeGreaterThan(0);
      expect(prediction.itl_ms).toBeGreaterThan(0);
    } finally {
      rmSync(out, {recursive: true, force: true});
    }
  }, 180_000);

  it('errors under --json: bad input exits 3, usage exits 2, both as the error schema', async () => {
    const unknownModel = await runCli(['sim', 'serve', '--json', '--model', 'nope/nope', '--port', '0']);
    expect(unknownModel.code).toBe(3);
    const error = JSON.parse(unknownModel.stdout) as {error: {message: string; hint: string}};
    expectValid('output/error.schema.json', error);
    expect(error.error.message).toMatch(/nope\/nope/);
    expect(error.error.message).toMatch(/Qwen\/Qwen3-0\.6B/);
    expect(error.error.hint).toMatch(/--catalog/);

    const badFlag = await runCli(['sim', 'serve', '--json', '--fault-error-rate', '2']);
    expect(badFlag.code).toBe(2);
    expectValid('output/error.schema.json', JSON.parse(badFlag.stdout));
  });
});

describe('human output', () => {
  it('prints an error as one line of cause and one line of hint, exit 3, nothing on stdout', async () => {
    const result = await runCli(['sim', 'serve', '--gpu', 'tpu_v9', '--port', '0']);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Error: .*tpu_v9.*h100_sxm/);
    expect(lines[1]).toMatch(/^Hint: /);
  });

  it('a usage error exits 2', async () => {
    const result = await runCli(['sim', 'serve', '--no-such-flag']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no-such-flag/);
  });

  it('--help teaches: summary, flags with descriptions, examples, exit codes are in the README', async () => {
    const root = await runCli(['--help']);
    expect(root.code).toBe(0);
    expect(root.stdout).toMatch(/sim\s+Run the embedded vLLM-compatible engine simulator/);
    const topic = await runCli(['sim', '--help']);
    expect(topic.stdout).toMatch(/sim serve/);
    expect(topic.stdout).toMatch(/sim demo/);
    const serve = await runCli(['sim', 'serve', '--help']);
    expect(serve.stdout).toMatch(/--max-num-batched-tokens=<value>/);
    expect(serve.stdout).toMatch(/EXAMPLES/);
    expect(serve.stdout).toMatch(/--fault-abort-rate/);
  });

  it('sim demo streams tokens to stdout and reports TTFT and ITL', async () => {
    const result = await runCli(['sim', 'demo', '--model', 'Qwen/Qwen3-0.6B', '--gpu', 'l4', '--max-tokens', '10']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/client-side TTFT \d+\.\d ms, mean ITL \d+\.\d\d ms/);
    expect(result.stdout).toMatch(/vllm:generation_tokens_total 10/);
    // progress is never written when stderr is not a TTY
    expect(result.stderr).toBe('');
  });
});
