import type {Key} from 'ink';
import {describe, expect, it} from 'vitest';
import {commandForKey, HELP_LINES} from '../../src/tui/keys.js';
import {initialTuneState, type TuneAction, tuneReducer, type TuneState} from '../../src/tui/tune-state.js';
import {candidatesOf, H200_8B_FP8, input} from '../sizing/fixtures.js';

const start = initialTuneState(input(candidatesOf(H200_8B_FP8)));
const run = (state: TuneState, ...actions: TuneAction[]) => actions.reduce(tuneReducer, state);
const noKey: Key = {upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false};

describe('tune state', () => {
  it('starts on the first field, sweeping ITL; moving clamps at the ends and the sweep follows the latency focused', () => {
    expect(start).toMatchObject({focus: 'ttft', axis: 'itl', draft: null, status: null});
    expect(run(start, {type: 'move', by: -1}).focus).toBe('ttft');
    const onTtft = run(start, {type: 'move', by: 1}, {type: 'move', by: -1});
    expect(onTtft).toMatchObject({focus: 'ttft', axis: 'ttft'});
    const onRate = run(start, ...Array<TuneAction>(5).fill({type: 'move', by: 1}));
    expect(onRate).toMatchObject({focus: 'rate', axis: 'itl'});
    expect(run(start, ...Array<TuneAction>(20).fill({type: 'move', by: 1})).focus).toBe('mode');
  });

  it('steps the focused field; typing digits then Enter sets it; Esc cancels; a bad number says why', () => {
    const itl = run(start, {type: 'move', by: 1});
    expect(run(itl, {type: 'step', by: -1}).input.sla.itlMs).toBe(18);
    const typed = run(itl, {type: 'type', text: '1'}, {type: 'type', text: '2'}, {type: 'type', text: '5'}, {type: 'erase'});
    expect(typed.draft).toBe('12');
    // While typing, arrows do nothing.
    expect(run(typed, {type: 'step', by: 1}, {type: 'move', by: 1})).toBe(typed);
    expect(run(typed, {type: 'accept'})).toMatchObject({draft: null, input: {sla: {itlMs: 12}}});
    expect(run(typed, {type: 'cancel'})).toMatchObject({draft: null, input: {sla: {itlMs: 20}}, status: {kind: 'info', text: 'Edit cancelled.'}});
    expect(run(itl, {type: 'type', text: '.'}, {type: 'accept'})).toMatchObject({draft: null, input: {sla: {itlMs: 20}}, status: {kind: 'error', text: '"." is not a number.'}});
  });

  it('reset returns to the starting input, keeping the focus', () => {
    const changed = run(start, {type: 'move', by: 1}, {type: 'step', by: 1}, {type: 'step', by: 1});
    expect(changed.input.sla.itlMs).toBe(25);
    const reset = run(changed, {type: 'reset'});
    expect(reset.input).toBe(start.initial);
    expect(reset).toMatchObject({focus: 'itl', status: {text: 'Reset to the starting values.'}});
  });
});

describe('keys', () => {
  const press = (input: string, key: Partial<Key> = {}, state = start) => commandForKey(input, {...noKey, ...key}, state);

  it('maps arrows, +/-, digits and the command letters', () => {
    expect(press('', {downArrow: true})).toEqual({type: 'move', by: 1});
    expect(press('', {upArrow: true})).toEqual({type: 'move', by: -1});
    expect(press('', {rightArrow: true})).toEqual({type: 'step', by: 1});
    expect(press('-')).toEqual({type: 'step', by: -1});
    expect(press('+')).toEqual({type: 'step', by: 1});
    expect(press('7')).toEqual({type: 'type', text: '7'});
    expect(press('s')).toEqual({type: 'save-dgdr'});
    expect(press('j')).toEqual({type: 'save-json'});
    expect(press('r')).toEqual({type: 'reset'});
    expect(press('q')).toEqual({type: 'quit'});
    expect(press('c', {ctrl: true})).toEqual({type: 'quit'});
    expect(press('z')).toBeNull();
  });

  it('while typing, only editing keys count (and Ctrl-C)', () => {
    const typing = {...start, draft: '1'};
    expect(press('', {return: true}, typing)).toEqual({type: 'accept'});
    expect(press('', {escape: true}, typing)).toEqual({type: 'cancel'});
    expect(press('', {backspace: true}, typing)).toEqual({type: 'erase'});
    expect(press('q', {}, typing)).toBeNull();
    expect(press('', {leftArrow: true}, typing)).toBeNull();
    expect(press('c', {ctrl: true}, typing)).toEqual({type: 'quit'});
  });

  it('the shortest help line fits 60 columns and the compact one 80, each naming every key', () => {
    expect(HELP_LINES[1].length).toBeLessThan(80);
    expect(HELP_LINES[2].length).toBeLessThan(60);
    for (const line of HELP_LINES) for (const word of ['s ', 'j ', 'r reset', 'q quit', '0-9', '↑↓']) expect(line).toContain(word);
  });
});
