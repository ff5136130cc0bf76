// `planner run` as a child process of the built CLI, with its output collected and lines awaited.
import {type ChildProcess, spawn} from 'node:child_process';
import {join} from 'node:path';
import {repoRoot} from '../../helpers/cli.js';

export interface PlannerProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** Resolves once stdout holds a line matching `pattern` (after `from` characters). */
  waitForLine(pattern: RegExp, from?: number, timeoutMs?: number): Promise<RegExpExecArray>;
  /** SIGTERM (the planner stops its engines too), SIGKILL only if it does not exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export function startPlannerProcess(args: string[]): PlannerProcess {
  const child = spawn(process.execPath, [join(repoRoot, 'dist/src/cli/run.js'), 'planner', 'run', ...args], {cwd: repoRoot});
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async waitForLine(pattern, from = 0, timeoutMs = 60_000) {
      for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
        for (const line of stdout.slice(from).split('\n')) {
          const match = pattern.exec(line);
          if (match) return match;
        }
      }
      throw new Error(`no line matching ${pattern} in:\n${stdout}\n${stderr}`);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      return exited;
    },
  };
}
