import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {parseAllDocuments} from 'yaml';
import type {K8sObject} from '../../src/manifest/index.js';
import {expectValid} from '../manifest/upstream-schema.js';
import {TmuxSession} from '../helpers/tmux.js';

// Runs the built CLI (dist/) in a real terminal (tmux, Debian package `tmux`): `npm run build` first.

const scratch = mkdtempSync(join(tmpdir(), 'dynamo-plan-tune-tmux-'));
let session: TmuxSession | undefined;
afterEach(() => session?.kill());
afterAll(() => rmSync(scratch, {recursive: true, force: true}));


/** The value shown for a field, e.g. "20.0 ms" for "ITL p90". */
function field(screen: string, label: string): string | undefined {
  const line = screen.split('\n').find((row) => row.slice(2).startsWith(label));
  return line?.slice(2, 30).replace(label, '').trim();
}

// Needs tmux (Debian package; .ci/run installs it): without it this fails rather than skipping.
describe('dynamo-plan tune in an 80x24 terminal', {timeout: 120_000}, () => {
  it('draws the screen, follows keys into and out of INFEASIBLE, saves a valid DGDR, quits with 0', async () => {
    session = new TmuxSession(['tune', '--request-rate', '10', '--out-dir', scratch], {columns: 80, rows: 24});
    const help = '↑↓ move  ←→/+- step  0-9 Enter set  Esc cancel  s DGDR  j JSON  r reset  q quit';
    // The first screen waits for Node, ink and the first sizing: allow for a machine busy with the rest of the suite.
    let screen = await session.waitFor((text) => text.includes(help) && text.includes('@ now'), 60_000);
    const rows = screen.split('\n');
    expect(rows[0]).toBe('dynamo-plan tune  nvidia/Llama-3.1-8B-Instruct-FP8  h200_sxm-tp1');
    expect(screen).toMatch(/^> TTFT p90 +200 ms/m);
    expect(field(screen, 'ITL p90')).toBe('20.0 ms');
    expect(field(screen, 'rate')).toBe('10.00 req/s');
    expect(screen).toMatch(/Deployment\n.*(AGG|DISAGG) {2}\d+ GPUs {2}\d+ tok\/s\/GPU/);
    expect(screen).toContain('Frontier (tok/s/GPU)  * sized  x infeasible  @ now');
    expect(screen).toMatch(/ITL p90 target \(log\)/);
    expect(rows.every((row) => row.length <= 80)).toBe(true);

    // Down to ITL, then lower it step by step until no deployment meets it.
    session.sendKeys('Down');
    screen = await session.waitFor((text) => /^> ITL p90/m.test(text));
    const steps: string[] = [];
    while (!screen.includes('INFEASIBLE') && steps.length < 40) {
      const before = field(screen, 'ITL p90');
      session.sendKeys('Left');
      screen = await session.waitFor((text) => field(text, 'ITL p90') !== before);
      steps.push(field(screen, 'ITL p90')!);
    }
    expect(steps.slice(0, 4)).toEqual(['18.0 ms', '16.0 ms', '15.0 ms', '13.0 ms']);
    expect(screen).toContain('INFEASIBLE: no deployment meets this SLA');
    expect(screen).toMatch(/Best achievable, unloaded:\n.*TTFT p90 [\d.]+ ms {2}ITL p90 [\d.]+ ms/);
    const bestItl = Number(screen.match(/ITL p90 ([\d.]+) ms\s*$/m)![1]);
    expect(Number.parseFloat(field(screen, 'ITL p90')!)).toBeLessThanOrEqual(bestItl);
    expect(screen).toMatch(/To fix: raise ITL p90 above [\d.]+ ms/);
    expect(screen).toContain('now: infeasible');
    expect(screen).toMatch(/^ +0 \|.*@/m);
    expect(screen).toContain(help);

    // One step back up meets it again.
    session.sendKeys('Right');
    screen = await session.waitFor((text) => !text.includes('INFEASIBLE'));
    expect(screen).toMatch(/Deployment\n/);
    const itl = Number.parseFloat(field(screen, 'ITL p90')!);
    expect(itl).toBe(Number.parseFloat(steps.at(-2)!));

    session.type('s');
    screen = await session.waitFor((text) => text.includes('Saved DGDR to'));
    const file = join(scratch, 'llama-3-1-8b-instruct-fp8-dgdr.yaml');
    expect(existsSync(file)).toBe(true);
    const [dgdr] = parseAllDocuments(readFileSync(file, 'utf8')).map((document) => document.toJS() as K8sObject);
    expectValid(dgdr!);
    expect(dgdr).toMatchObject({kind: 'DynamoGraphDeploymentRequest', spec: {sla: {ttft: 200, itl}, workload: {requestRate: 10}}});

    session.type('q');
    screen = await session.waitFor((text) => text.includes('[exit '));
    expect(screen).toContain('[exit 0]');
  });
});
