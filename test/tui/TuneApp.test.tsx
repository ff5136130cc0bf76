import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it, vi} from 'vitest';
import {parseAllDocuments} from 'yaml';
import type {K8sObject} from '../../src/manifest/index.js';
import {schemaValidator} from '../../src/schema/validator.js';
import {sizeDeployment} from '../../src/sizing/index.js';
import {TuneApp} from '../../src/tui/TuneApp.js';
import {expectValid} from '../manifest/upstream-schema.js';
import {candidatesOf, H200_8B_FP8, input} from '../sizing/fixtures.js';
import {frameLines, KEYS, press, quiet, renderAt, resize} from './ink-helpers.js';

const scratch = mkdtempSync(join(tmpdir(), 'dynamo-plan-tune-'));
afterAll(() => rmSync(scratch, {recursive: true, force: true}));

const start = input(candidatesOf(H200_8B_FP8), {rate: 20});
const app = (outDir = scratch) => <TuneApp initial={start} saveTo={{outDir}} />;
const fieldValue = (lines: string[], label: string) => lines.find((line) => line.slice(2).startsWith(label))?.slice(2, 28).replace(label, '').trim();

// Saving compiles the upstream CRD schemas once (a second or more on a busy machine).
describe('TuneApp', {timeout: 30_000}, () => {
  it('at 80x24: inputs, the deployment, the frontier with its marker and axes, the help line last, within 23 rows', async () => {
    const screen = await renderAt(app(), 80, 24);
    const lines = frameLines(screen);
    expect(lines.length).toBeLessThanOrEqual(23);
    expect(lines[0]).toBe('dynamo-plan tune  nvidia/Llama-3.1-8B-Instruct-FP8  h200_sxm-tp1');
    expect(lines[1]).toMatch(/^SLA and workload\s+Deployment$/);
    expect(lines[2]).toMatch(/^> TTFT p90 {9}200 ms/);
    expect(fieldValue(lines, 'ITL p90')).toBe('20.0 ms');
    const sized = sizeDeployment(start);
    expect(lines[2]).toContain(`${sized.mode.toUpperCase()}  ${sized.total_gpus} GPUs  ${sized.throughput_per_gpu.toFixed(0)} tok/s/GPU`);
    expect(lines).toContain('Frontier (tok/s/GPU)  * sized  x infeasible  @ now');
    // The operating point: "@" in the plot, labelled with its throughput per GPU beside, above or below it.
    expect(lines.some((line) => /^ +\d* \|.*@/.test(line))).toBe(true);
    expect(lines.some((line) => line.includes(`now ${sized.throughput_per_gpu.toFixed(0)}`))).toBe(true);
    expect(lines.some((line) => /ITL p90 target \(log\)/.test(line))).toBe(true);
    expect(lines.at(-1)).toBe('↑↓ move  ←→/+- step  0-9 Enter set  Esc cancel  s DGDR  j JSON  r reset  q quit');
    expect(lines.every((line) => line.length <= 80)).toBe(true);
    screen.unmount();
  });

  it('arrows move and change values; the deployment follows; digits + Enter set; an SLA too tight is INFEASIBLE; r resets', async () => {
    const screen = await renderAt(app(), 80, 24);
    await press(screen, KEYS.down, KEYS.right);
    let lines = frameLines(screen);
    expect(lines.find((line) => line.startsWith('>'))).toMatch(/^> ITL p90 +22\.0 ms/);
    await press(screen, KEYS.left, KEYS.left, '-');
    expect(fieldValue(frameLines(screen), 'ITL p90')).toBe('16.0 ms');
    // The rate, three fields down: up 10% to round values.
    await press(screen, KEYS.down, KEYS.down, KEYS.down, KEYS.down, '+');
    lines = frameLines(screen);
    expect(fieldValue(lines, 'rate')).toBe('22.00 req/s');
    const sized = sizeDeployment({...start, sla: {...start.sla, itlMs: 16}, workload: {...start.workload, requestRate: 22}});
    expect(lines.join('\n')).toContain(`${sized.total_gpus} GPUs  ${sized.throughput_per_gpu.toFixed(0)} tok/s/GPU`);

    // Type an ITL no engine reaches.
    await press(screen, KEYS.up, KEYS.up, KEYS.up, KEYS.up, '3');
    expect(frameLines(screen).find((line) => line.startsWith('>'))).toMatch(/^> ITL p90 +\[3_\] ms/);
    expect(frameLines(screen)).toContain('Typing ITL p90: Enter accepts, Esc cancels');
    await press(screen, KEYS.enter);
    await vi.waitFor(() => expect(fieldValue(frameLines(screen), 'ITL p90')).toBe('3.00 ms'));
    lines = frameLines(screen);
    expect(lines[1]).toMatch(/INFEASIBLE: no deployment meets this SLA/);
    expect(lines.join('\n')).toMatch(/To fix: raise ITL p90 above \d\.\d\d ms/);
    expect(lines.some((line) => line.includes('now: infeasible'))).toBe(true);
    expect(lines.some((line) => /^ +0 \|.*@/.test(line))).toBe(true);
    await press(screen, 's');
    await vi.waitFor(() => expect(frameLines(screen)).toContain('! Nothing to save: the SLA is infeasible.'));

    // Typing then Esc leaves the value alone.
    await press(screen, '9', KEYS.escape);
    expect(fieldValue(frameLines(screen), 'ITL p90')).toBe('3.00 ms');

    await press(screen, 'r');
    await vi.waitFor(() => expect(frameLines(screen)).toContain('Reset to the starting values.'));
    lines = frameLines(screen);
    expect(fieldValue(lines, 'ITL p90')).toBe('20.0 ms');
    expect(fieldValue(lines, 'rate')).toBe('20.00 req/s');
    expect(lines).toContain('Reset to the starting values.');
    expect(lines.join('\n')).not.toContain('INFEASIBLE');
    screen.unmount();
  });

  it('s writes the DGDR of what is on screen, valid against the upstream CRDs; j writes the sizing JSON', async () => {
    const outDir = join(scratch, 'out');
    const screen = await renderAt(app(outDir), 80, 24);
    await press(screen, KEYS.down, KEYS.right, KEYS.right, 's');
    const dgdrPath = join(outDir, 'llama-3-1-8b-instruct-fp8-dgdr.yaml');
    // The status line keeps both ends of a long path.
    await vi.waitFor(() => expect(frameLines(screen).join('\n')).toMatch(/^Saved DGDR to \/tmp\/.*-dgdr\.yaml$/m), {timeout: 10_000});
    const [dgdr] = parseAllDocuments(readFileSync(dgdrPath, 'utf8')).map((document) => document.toJS() as K8sObject);
    expectValid(dgdr!);
    const edited = {...start, sla: {...start.sla, itlMs: 25}};
    const sized = sizeDeployment(edited);
    expect(dgdr).toMatchObject({kind: 'DynamoGraphDeploymentRequest', spec: {sla: {ttft: 200, itl: 25}, hardware: {totalGpus: sized.total_gpus}, workload: {requestRate: 20}}});

    await press(screen, 'j');
    const jsonPath = join(outDir, 'llama-3-1-8b-instruct-fp8-sizing.json');
    await vi.waitFor(() => expect(frameLines(screen).join('\n')).toMatch(/^Saved sizing JSON to \/tmp\/.*-sizing\.json$/m));
    const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as unknown;
    const validate = schemaValidator('output/size.schema.json');
    expect(validate(json) ? [] : validate.errors).toEqual([]);
    expect(json).toEqual(JSON.parse(JSON.stringify(sized)));
    screen.unmount();
  });

  it('re-renders on resize: the frontier hides when short, stretches when tall; the help line stays last', async () => {
    const screen = await renderAt(app(), 80, 24);
    resize(screen, 60, 16);
    await vi.waitFor(() => expect(frameLines(screen).join('\n')).not.toContain('Frontier'));
    let lines = frameLines(screen);
    expect(lines.join('\n')).not.toContain('Frontier');
    expect(lines.at(-1)).toBe('↑↓ ←→ +- 0-9 Enter Esc  s DGDR  j JSON  r reset  q quit');
    expect(lines.length).toBeLessThanOrEqual(15);
    resize(screen, 120, 40);
    await vi.waitFor(() => expect(frameLines(screen).join('\n')).toContain('Frontier'));
    lines = frameLines(screen);
    const chart = lines.findIndex((line) => line.startsWith('Frontier'));
    const axis = lines.findIndex((line) => /^ +\+-+$/.test(line));
    expect(axis - chart - 1).toBe(16);
    expect(lines.at(-1)).toMatch(/s save DGDR {2}j save JSON {2}r reset {2}q quit$/);
    screen.unmount();
  });

  it('q quits: the screen stops answering keys', async () => {
    const screen = await renderAt(app(), 80, 24);
    await press(screen, 'q');
    await quiet(screen);
    const frames = screen.frames.length;
    await press(screen, KEYS.down, KEYS.right);
    await quiet(screen);
    expect(screen.frames.length).toBe(frames);
    // The last screen drawn (ink may write an empty frame as it unmounts) still has the cursor where q left it.
    const lastDrawn = screen.frames.filter((frame) => frame.trim() !== '').at(-1) ?? '';
    expect(lastDrawn.split('\n').find((line) => line.startsWith('>'))).toMatch(/^> TTFT p90/);
  });
});
