// Debian's headless Chromium, started for one test and always stopped (and its profile directory removed) after.
import {type ChildProcess, spawn} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll} from 'vitest';
import {CdpConnection} from './cdp-connection.js';

export const CHROMIUM = '/usr/bin/chromium';

const START_TIMEOUT_MS = 20_000;
const EXIT_TIMEOUT_MS = 5_000;

export interface Chromium {
  cdp: CdpConnection;
  close(): Promise<void>;
}

/** Start Chromium with remote debugging on a free port and connect to it; fails loudly when it is not installed. */
export async function launchChromium(): Promise<Chromium> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the report test needs Debian's headless Chromium (apt-get install -y chromium; .ci/run installs it).`);
  }
  const profileDir = mkdtempSync(join(tmpdir(), 'dynamo-plan-chromium-'));
  const child = spawn(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profileDir}`,
      '--remote-debugging-port=0',
      'about:blank',
    ],
    // Its own process group, so stopping it stops its renderer and helper processes too.
    {stdio: ['ignore', 'ignore', 'pipe'], detached: true},
  );
  const stop = () => stopChromium(child, profileDir);
  try {
    const cdp = await CdpConnection.open(await devToolsUrl(child));
    return {
      cdp,
      close: async () => {
        await cdp.send('Browser.close').catch(() => undefined);
        cdp.close();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Chromium prints the browser's DevTools WebSocket URL on stderr once it listens (port 0: it picks the port). */
function devToolsUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`Chromium did not start within ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /DevTools listening on (ws:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited (code ${code}) before listening:\n${output}`));
    });
  });
}

async function stopChromium(child: ChildProcess, profileDir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), EXIT_TIMEOUT_MS);
    signalGroup(child, 'SIGTERM');
    await exited;
    clearTimeout(timer);
  }
  rmSync(profileDir, {recursive: true, force: true});
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * One Chromium for the enclosing describe block (started before its tests, stopped after), and the temporary
 * directories its tests make, removed after them. Call it at the top of a describe.
 */
export function chromiumForSuite(): {cdp(): CdpConnection; removeAfter(dir: string): string; tempDir(prefix: string): string} {
  let chromium: Chromium | undefined;
  const dirs: string[] = [];
  beforeAll(async () => {
    chromium = await launchChromium();
  }, 30_000);
  afterAll(async () => {
    await chromium?.close();
    for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
  });
  const removeAfter = (dir: string) => {
    dirs.push(dir);
    return dir;
  };
  return {
    cdp: () => chromium!.cdp,
    removeAfter,
    tempDir: (prefix) => removeAfter(mkdtempSync(join(tmpdir(), prefix))),
  };
}
