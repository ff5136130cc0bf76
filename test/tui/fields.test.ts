import {describe, expect, it} from 'vitest';
import {applyTyped, fieldById, fieldsFor, formatFieldValue, stepField} from '../../src/tui/fields.js';
import {candidatesOf, H200_8B_FP8, input} from '../sizing/fixtures.js';

const base = input(candidatesOf(H200_8B_FP8));

describe('tune fields', () => {
  it('edits TTFT and ITL, or E2E alone; a rate or a concurrency; ISL/OSL unless a trace gives them', () => {
    expect(fieldsFor(base).map((field) => field.id)).toEqual(['ttft', 'itl', 'percentile', 'isl', 'osl', 'rate', 'maxGpus', 'mode']);
    const e2e = {...base, sla: {e2eMs: 5000, percentile: 'p90' as const}, workload: {isl: 100, osl: 10, concurrency: 8, samples: [{isl: 100, osl: 10}]}};
    expect(fieldsFor(e2e).map((field) => field.id)).toEqual(['e2e', 'percentile', 'concurrency', 'maxGpus', 'mode']);
    expect(fieldsFor({...base, method: 'dynamo'}).map((field) => field.id)).not.toContain('mode');
  });

  it('steps numbers to round values and writes them into the SizingInput without touching the rest', () => {
    const itl = fieldById('itl');
    const stepped = stepField(itl, base, -1);
    expect(stepped.sla).toEqual({ttftMs: 200, itlMs: 18, percentile: 'p90'});
    expect(stepped.workload).toBe(base.workload);
    expect(base.sla.itlMs).toBe(20);
    expect(stepField(fieldById('isl'), base, 1).workload.isl).toBe(3300);
    expect(stepField(fieldById('rate'), base, 1).workload.requestRate).toBe(11);
  });

  it('clamps at the range ends; choices stop at their first and last option', () => {
    const osl = fieldById('osl');
    expect(stepField(osl, {...base, workload: {...base.workload, osl: 1}}, -1).workload.osl).toBe(1);
    const percentile = fieldById('percentile');
    expect(stepField(percentile, base, 1).sla.percentile).toBe('p95');
    expect(stepField(percentile, base, -1).sla.percentile).toBe('p50');
    expect(stepField(percentile, {...base, sla: {...base.sla, percentile: 'p99'}}, 1).sla.percentile).toBe('p99');
    const mode = fieldById('mode');
    expect(stepField(mode, base, 1).mode).toBe('disagg');
    expect(stepField(mode, base, -1).mode).toBe('auto');
  });

  it('max GPUs: "none" steps down to the GPUs in use, and past the top back to none; typing 0 removes it', () => {
    const maxGpus = fieldById('maxGpus');
    expect(formatFieldValue(maxGpus, base)).toBe('none');
    expect(stepField(maxGpus, base, 1).limits.maxGpus).toBeUndefined();
    const budget = stepField(maxGpus, base, -1, {totalGpus: 7});
    expect(budget.limits.maxGpus).toBe(7);
    expect(stepField(maxGpus, budget, -1).limits.maxGpus).toBe(6);
    expect(stepField(maxGpus, {...base, limits: {...base.limits, maxGpus: 4096}}, 1).limits.maxGpus).toBeUndefined();
    const typed = applyTyped(maxGpus, budget, '0');
    expect('input' in typed && typed.input.limits.maxGpus).toBeUndefined();
  });

  it('typed values: accepted in range, refused with a reason otherwise', () => {
    const ttft = fieldById('ttft');
    const typed = applyTyped(ttft, base, '350.5');
    expect('input' in typed && typed.input.sla.ttftMs).toBe(350.5);
    expect(applyTyped(ttft, base, '1.2.3')).toEqual({error: '"1.2.3" is not a number.'});
    expect(applyTyped(fieldById('isl'), base, '12.5')).toEqual({error: 'ISL takes a whole number.'});
    expect(applyTyped(fieldById('isl'), base, '0')).toEqual({error: 'ISL must be from 1 to 1000000.'});
    expect(applyTyped(fieldById('mode'), base, '1')).toEqual({error: 'mode is a choice: use left/right.'});
  });

  it('formats values as the screen shows them', () => {
    expect(fieldsFor(base).map((field) => `${field.label(base)}=${formatFieldValue(field, base)}`)).toEqual([
      'TTFT p90=200',
      'ITL p90=20.0',
      'percentile=p90',
      'ISL=3000',
      'OSL=150',
      'rate=10.00',
      'max GPUs=none',
      'mode=auto',
    ]);
  });
});
