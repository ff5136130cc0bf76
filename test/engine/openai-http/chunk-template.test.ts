import {describe, expect, it} from 'vitest';
import {ChunkTemplate} from '../../../src/engine/openai-http/chunk-template.js';

const chunk = (textJson: string, finish = 'null') =>
  `{"id":"cmpl-1","object":"text_completion","created":1,"model":"m","choices":[{"index":0,"text":${textJson},"logprobs":null,"finish_reason":${finish},"stop_reason":null}],"usage":null}`;

function learned(): ChunkTemplate {
  const template = new ChunkTemplate();
  template.learn(chunk('" first"'), 'text', ' first', false);
  return template;
}

function runOf(template: ChunkTemplate, text: string, start = 0): {end: number; texts: string[]} {
  const texts: string[] = [];
  const end = template.matchEvents(text, start, (value) => texts.push(value));
  return {end, texts};
}

describe('ChunkTemplate', () => {
  it('reads the text of chunks that differ from the learned one only in their text, escapes and all', () => {
    const template = learned();
    for (const text of [' next', '', 'é ✓', '"quoted"', 'back\\slash', 'line\nbreak', '\u0001']) {
      expect(template.match(chunk(JSON.stringify(text)))).toBe(text);
    }
    expect(template.match(chunk('"\\u00e9"'))).toBe('é');
  });

  it('leaves every other chunk to the JSON parser', () => {
    const template = learned();
    const misses = [
      chunk('" x"', '"length"'),
      chunk('" x", "extra": 1'),
      chunk('"a" "b"'),
      chunk('"bad \\x escape"'),
      chunk('"raw \u0001 control"'),
      chunk('"unterminated'),
      chunk('42'),
      chunk('null'),
      '[DONE]',
    ];
    for (const data of misses) expect(template.match(data)).toBeUndefined();
  });

  it('learns nothing when the key is not unique or its string is not the text', () => {
    const twoChoices = new ChunkTemplate();
    twoChoices.learn('{"choices":[{"index":0,"text":"a"},{"index":1,"text":"b"}]}', 'text', 'a', false);
    expect(twoChoices.match('{"choices":[{"index":0,"text":"c"},{"index":1,"text":"b"}]}')).toBeUndefined();
    const wrongText = new ChunkTemplate();
    wrongText.learn(chunk('" first"'), 'text', 'other', false);
    expect(wrongText.match(chunk('" x"'))).toBeUndefined();
  });

  it('consumes a run of whole events, stopping before the first that differs', () => {
    const template = learned();
    const event = (textJson: string, finish = 'null') => `data: ${chunk(textJson, finish)}\n\n`;
    const text = event('"a"') + event('"b\\"c"') + event('"d"') + event('"e"', '"length"') + event('"f"');
    const {end, texts} = runOf(template, text);
    expect(texts).toEqual(['a', 'b"c', 'd']);
    expect(text.slice(end)).toBe(event('"e"', '"length"') + event('"f"'));
    expect(runOf(template, text, end).end).toBe(-1);
  });

  it('stops a run before an event cut off at the end of the read, and matches nothing framed otherwise', () => {
    const template = learned();
    const whole = `data: ${chunk('"a"')}\n\n`;
    const cut = `data: ${chunk('"b"')}`.slice(0, -10);
    const {end, texts} = runOf(template, whole + cut);
    expect(texts).toEqual(['a']);
    expect(end).toBe(whole.length);
    expect(runOf(template, `data:${chunk('"a"')}\n\n`).end).toBe(-1);
    expect(runOf(template, `data: ${chunk('"a"')}\r\n\r\n`).end).toBe(-1);
  });

  it('keeps the reasoning flag of the chunk it learned from', () => {
    const template = new ChunkTemplate();
    const reasoning = (text: string) => `{"choices":[{"index":0,"delta":{"reasoning_content":${JSON.stringify(text)}},"finish_reason":null}]}`;
    template.learn(reasoning('hm'), 'reasoning_content', 'hm', true);
    expect(template.match(reasoning('so'))).toBe('so');
    expect(template.reasoning).toBe(true);
  });
});
