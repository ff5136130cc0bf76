// One simulated engine as a child process: the built CLI's `sim serve --port 0 --json`, whose first stdout line is
// its SimulatorInfo (URL included) once it serves.
import {type ChildProcess, spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {badInput, unreachable} from '../../../errors/errors.js';
import {packagePath} from '../../../util/paths.js';

export interface EngineProcessOptions {
  model?: string;
  gpu?: string;
  tp?: number;
  /** More `sim serve` flags, e.g. ['--startup-delay', '5']. */
  extraArgs?: string[];
  /** The CLI entry to run (default: this package's dist/src/cli/run.js). */
  cliEntry?: string;
  /** Longest wait for the ready line, ms (default 60 000). */
  startTimeoutMs?: number;
}

export interface EngineProcess {
  url: string;
  /** `sim serve --json`'s line: servedModelName, kvCapacityTokens, maxNumSeqs, ... */
  info: Record<string, unknown>;
  pid: number;
  /** Resolves with the exit code when the process ends, for whatever reason. */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs` (default 10 000). */
  stop(graceMs?: number): Promise<void>;
}

export function simServeArgs(options: EngineProcessOptions): string[] {
  const args = ['sim', 'serve', '--port', '0', '--json'];
  if (options.model) args.push('--model', options.model);
  if (options.gpu) args.push('--gpu', options.gpu);
  if (options.tp !== undefined) args.push('--tp', String(options.tp));
  return [...args, ...(options.extraArgs ?? [])];
}

export async function startEngineProcess(options: EngineProcessOptions, signal?: AbortSignal): Promise<EngineProcess> {
  const entry = options.cliEntry ?? packagePath('dist', 'src', 'cli', 'run.js');
  if (!existsSync(entry)) throw badInput(`The built CLI ${entry} is missing; the local connector runs engines from it.`, 'Run `npm run build` first.', 'E_NO_BUILD');
  const child = spawn(process.execPath, [entry, ...simServeArgs(options)], {stdio: ['ignore', 'pipe', 'pipe']});
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
  try {
    const line = await firstLine(child, exited, options.startTimeoutMs ?? 60_000, signal);
    const info = JSON.parse(line) as Record<string, unknown>;
    if (typeof info.url !== 'string') throw new Error(`no url in ${line}`);
    child.stdout!.resume();
    return {url: info.url, info, pid: child.pid!, exited, stop: (graceMs) => stopChild(child, exited, graceMs ?? 10_000)};
  } catch (error) {
    await stopChild(child, exited, 0);
    const last = stderr.trim().split('\n').filter(Boolean).slice(-2).join(' ');
    throw unreachable(`A local engine (sim serve ${simServeArgs(options).slice(2).join(' ')}) did not start: ${(error as Error).message}${last ? `: ${last}` : ''}`,
      'Run the same `dynamo-plan sim serve` by hand to see why.', error);
  }
}

function firstLine(child: ChildProcess, exited: Promise<number | null>, timeoutMs: number, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => finish(new Error(`no ready line within ${timeoutMs} ms`)), timeoutMs);
    const onAbort = () => finish(new Error('cancelled'));
    signal?.addEventListener('abort', onAbort, {once: true});
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const newline = buffer.indexOf('\n');
      if (newline >= 0) finish(undefined, buffer.slice(0, newline));
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => finish(new Error(`it exited with code ${code}`)));
    let done = false;
    function finish(error?: Error, line?: string) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      child.stdout!.off('data', onData);
      if (error) reject(error);
      else resolve(line!);
    }
  });
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(graceMs > 0 ? 'SIGTERM' : 'SIGKILL');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
