import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {VirtualConnector} from '../../../src/planner/connectors/virtual.js';
import {freePort} from '../../helpers/free-port.js';

const dir = mkdtempSync(join(tmpdir(), 'dynamo-plan-virtual-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe('VirtualConnector', () => {
  it('writes each decision to a file atomically, numbered, with Dynamo\'s field names', async () => {
    const file = join(dir, 'decision.json');
    const connector = new VirtualConnector({file, now: () => Date.UTC(2026, 0, 2, 3, 4, 5)});
    await connector.scale({prefill: 2, decode: 3});
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({decision_id: 1, at: '2026-01-02T03:04:05.000Z', targets: {prefill: 2, decode: 3}, num_prefill_workers: 2, num_decode_workers: 3});
    await connector.scale({decode: 1});
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({decision_id: 2, num_prefill_workers: -1, num_decode_workers: 1});
    expect(readdirSync(dir)).toEqual(['decision.json']);
    expect(await connector.counts()).toEqual({ready: {prefill: 2, decode: 1}, expected: {prefill: 2, decode: 1}});
  });

  it('POSTs each decision to a webhook, and fails clearly when the webhook refuses or is down', async () => {
    const received: unknown[] = [];
    let status = 200;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({contentType: req.headers['content-type'], token: req.headers['x-token'], body: JSON.parse(body)});
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/decisions`;
    try {
      const connector = new VirtualConnector({webhook: url, headers: {'x-token': 't'}});
      await connector.scale({agg: 4});
      expect(received).toEqual([{contentType: 'application/json', token: 't', body: expect.objectContaining({decision_id: 1, targets: {agg: 4}, num_decode_workers: 4})}]);
      status = 500;
      await expect(connector.scale({agg: 5})).rejects.toThrow(/answered HTTP 500/);
      // A refused decision is not counted as made.
      expect((await connector.counts()).expected).toEqual({agg: 4});
      const down = new VirtualConnector({webhook: `http://127.0.0.1:${await freePort()}/`, timeoutMs: 1000});
      await expect(down.scale({agg: 1})).rejects.toThrow(/did not answer/);
    } finally {
      server.close();
    }
  });
});
