// `planner run` as a user runs it (the built CLI): --json prints one ready line and, at exit, a summary that match the
// output schema; the dashboard escapes the model name; Ctrl-C exits 130 after the summary; bad setups fail with a hint.
import {spawn} from 'node:child_process';
import {mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {schemaValidator} from '../../../src/schema/validator.js';
import {type Simulator, startSimulator} from '../../../src/sim/simulator.js';
import {repoRoot, runCli} from '../../helpers/cli.js';
import {freePort} from '../../helpers/free-port.js';

const HOSTILE = '<img src=x onerror="window.__pwned=1">&model';
let sim: Simulator;
let dir = '';

beforeAll(async () => {
  sim = await startSimulator({model: 'Qwen/Qwen3-0.6B', gpu: 'h100_sxm', port: 0});
  dir = mkdtempSync(join(tmpdir(), 'dynamo-plan-planner-cmd-'));
  writeFileSync(join(dir, 'planner.yaml'), 'mode: agg\noptimization_target: latency\nload_adjustment_interval: 0.5\nreport_interval_hours: null\n');
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, {recursive: true, force: true});
});

function expectValid(value: unknown): void {
  const validate = schemaValidator('output/planner-run.schema.json');
  expect(validate(value) ? [] : validate.errors).toEqual([]);
}

describe('planner run (CLI)', () => {
  it('--json: a ready line, the dashboard with the model name escaped, and on Ctrl-C the summary, then exit 130', async () => {
    const dashboardPort = await freePort();
    const reports = join(dir, 'reports');
    const child = spawn(process.execPath, [join(repoRoot, 'dist/src/cli/run.js'), 'planner', 'run', '--json', '--connector', 'virtual', '--decision-file', join(dir, 'decision.json'),
      '--config', join(dir, 'planner.yaml'), '--engine', sim.url, '--model-name', HOSTILE, '--dashboard-port', String(dashboardPort), '--report-dir', reports], {cwd: repoRoot});
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    for (let i = 0; i < 100 && !stdout.includes('\n'); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    const ready = JSON.parse(stdout.slice(0, stdout.indexOf('\n'))) as {dashboard_url: string; connector: string; model_name: string};
    expectValid(ready);
    expect(ready).toMatchObject({connector: 'virtual', model_name: HOSTILE, dashboard_url: `http://127.0.0.1:${dashboardPort}`});

    // Once a tick is recorded the dashboard serves the report: the hostile name is there only as escaped text.
    let html = '';
    for (let i = 0; i < 100 && !html.includes('plotly'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      html = await (await fetch(ready.dashboard_url)).text();
    }
    expect(html).toContain('&lt;img src=x onerror=');
    expect(html).not.toContain('<img src=x');

    child.kill('SIGINT');
    expect(await closed).toBe(130);
    expect(stderr).toBe('');
    const summary = JSON.parse(stdout.slice(stdout.indexOf('\n') + 1)) as {ticks: number; reports: string[]; last: {issues: string[]}};
    expectValid(summary);
    expect(summary.ticks).toBeGreaterThan(0);
    // The engine has no series of that model: reported, not fatal.
    expect(summary.last.issues.some((issue) => issue.includes('has no vLLM metrics for model'))).toBe(true);
    expect(summary.reports).toHaveLength(1);
    expect(readdirSync(reports)).toEqual([summary.reports[0]!.split('/').at(-1)]);
  }, 60_000);

  it('fails fast with exit 3 and a hint when the setup cannot work (before starting anything)', async () => {
    const virtual = await runCli(['planner', 'run', '--connector', 'virtual', '--engine', sim.url]);
    expect(virtual.code).toBe(3);
    expect(virtual.stderr).toMatch(/^Error: The virtual connector needs exactly one of --decision-file or --webhook\.\nHint: /);
    writeFileSync(join(dir, 'disagg.yaml'), 'mode: disagg\n');
    const local = await runCli(['planner', 'run', '--connector', 'local', '--config', join(dir, 'disagg.yaml')]);
    expect(local.code).toBe(3);
    expect(local.stderr).toMatch(/local connector runs aggregated engines/);
    const kube = await runCli(['planner', 'run', '--connector', 'kubernetes'], {env: {DYN_PARENT_DGD_K8S_NAME: ''}});
    expect(kube.code).toBe(3);
    expect(kube.stderr).toMatch(/needs the DynamoGraphDeployment/);
  }, 60_000);
});
