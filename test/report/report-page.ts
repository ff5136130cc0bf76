// A report opened in a Chromium tab, with every console error, uncaught exception and network request recorded.
import type {CdpConnection} from './cdp-connection.js';

export const VIEWPORT = {width: 1200, height: 900};
const LOAD_TIMEOUT_MS = 20_000;

export interface PageRecord {
  /** Console errors, uncaught exceptions and error log entries (failed loads among them). */
  errors: string[];
  /** Every URL the page asked for. */
  requests: string[];
}

export interface OpenedPage {
  record: PageRecord;
  evaluate<T>(expression: string): Promise<T>;
  /** The whole page as a PNG. */
  screenshot(): Promise<Buffer>;
}

export async function openPage(cdp: CdpConnection, url: string): Promise<OpenedPage> {
  const {targetId} = await cdp.send<{targetId: string}>('Target.createTarget', {url: 'about:blank'});
  const {sessionId} = await cdp.send<{sessionId: string}>('Target.attachToTarget', {targetId, flatten: true});
  const send = <T>(method: string, params: Record<string, unknown> = {}) => cdp.send<T>(method, params, sessionId);
  const record: PageRecord = {errors: [], requests: []};
  let loaded: () => void = () => undefined;
  const load = new Promise<void>((resolve) => (loaded = resolve));
  cdp.onEvent((method, params, eventSession) => {
    if (eventSession !== sessionId) return;
    if (method === 'Page.loadEventFired') loaded();
    const error = errorIn(method, params);
    if (error) record.errors.push(error);
    if (method === 'Network.requestWillBeSent') record.requests.push((params.request as {url: string}).url);
  });
  await Promise.all(['Page.enable', 'Runtime.enable', 'Log.enable', 'Network.enable'].map((method) => send(method)));
  await send('Emulation.setDeviceMetricsOverride', {...VIEWPORT, deviceScaleFactor: 1, mobile: false});
  await send('Page.navigate', {url});
  await withTimeout(load, LOAD_TIMEOUT_MS, `${url} did not load`);

  const evaluate = async <T>(expression: string): Promise<T> => {
    const {result, exceptionDetails} = await send<{result: {value: T}; exceptionDetails?: {text: string}}>('Runtime.evaluate', {expression, awaitPromise: true, returnByValue: true});
    if (exceptionDetails) throw new Error(`Evaluating in the page failed: ${exceptionDetails.text}`);
    return result.value;
  };
  const screenshot = async () => {
    const height = await evaluate<number>('document.documentElement.scrollHeight');
    const clip = {x: 0, y: 0, width: VIEWPORT.width, height, scale: 1};
    const {data} = await send<{data: string}>('Page.captureScreenshot', {format: 'png', captureBeyondViewport: true, clip});
    return Buffer.from(data, 'base64');
  };
  return {record, evaluate, screenshot};
}

function errorIn(method: string, params: Record<string, unknown>): string | undefined {
  if (method === 'Runtime.exceptionThrown') {
    const details = params.exceptionDetails as {text: string; exception?: {description?: string}};
    return `uncaught: ${details.exception?.description ?? details.text}`;
  }
  if (method === 'Runtime.consoleAPICalled' && params.type === 'error') {
    const args = params.args as {value?: unknown; description?: string}[];
    return `console.error: ${args.map((arg) => arg.description ?? String(arg.value)).join(' ')}`;
  }
  if (method === 'Log.entryAdded') {
    const entry = params.entry as {level: string; text: string; url?: string};
    if (entry.level === 'error') return `log: ${entry.text}${entry.url ? ` (${entry.url})` : ''}`;
  }
  return undefined;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms.`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
