import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const entry = fileURLToPath(new URL('../../dist/src/cli/run.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the built CLI as a user would, in a child process, and collect its output. */
export function runCli(args: string[], options: {timeoutMs?: number; env?: NodeJS.ProcessEnv} = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], {cwd: repoRoot, env: {...process.env, ...options.env}});
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({code, stdout, stderr});
    });
  });
}

/** Start a long-running CLI command and wait for its first stdout line (e.g. a server's ready line). */
export function startCli(args: string[]): Promise<{firstLine: string; stop(signal?: NodeJS.Signals): Promise<CliResult>}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], {cwd: repoRoot});
    let stdout = '';
    let stderr = '';
    let resolved = false;
    const closed = new Promise<CliResult>((done) => child.on('close', (code) => done({code, stdout, stderr})));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (!resolved && newline >= 0) {
        resolved = true;
        resolve({
          firstLine: stdout.slice(0, newline),
          stop(signal = 'SIGINT') {
            child.kill(signal);
            return closed;
          },
        });
      }
    });
    void closed.then((result) => {
      if (!resolved) reject(new Error(`exited ${result.code} before printing a line: ${result.stderr}`));
    });
  });
}
