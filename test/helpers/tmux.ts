import {execFileSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {repoRoot} from './cli.js';

const entry = fileURLToPath(new URL('../../dist/src/cli/run.js', import.meta.url));

/**
 * The built CLI running in a detached tmux pane of a fixed size: a real terminal, so what `capture()` returns is what
 * a person would see. Each session gets its own tmux socket, so tests never touch a user's tmux server.
 */
export class TmuxSession {
  private readonly socket: string;

  constructor(
    readonly args: string[],
    readonly size: {columns: number; rows: number} = {columns: 80, rows: 24},
  ) {
    this.socket = `dynamo-plan-test-${process.pid}-${Math.random().toString(36).slice(2)}`;
    const command = [process.execPath, entry, ...args].map(shellQuote).join(' ');
    this.tmux('new-session', '-d', '-s', 'main', '-x', String(size.columns), '-y', String(size.rows), '-c', repoRoot, `${command}; echo "[exit $?]"; sleep 3600`);
  }

  sendKeys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys);
  }

  /** Typed text, sent literally (no key-name lookup). */
  type(text: string): void {
    this.tmux('send-keys', '-t', 'main', '-l', text);
  }

  resize(columns: number, rows: number): void {
    this.tmux('resize-window', '-t', 'main', '-x', String(columns), '-y', String(rows));
  }

  capture(): string {
    return this.tmux('capture-pane', '-p', '-t', 'main');
  }

  /** Polls the pane until `predicate` holds; returns the last capture, which the caller asserts on. */
  async waitFor(predicate: (screen: string) => boolean, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = this.capture();
    while (!predicate(screen) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      screen = this.capture();
    }
    return screen;
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // Already gone.
    }
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], {encoding: 'utf8'});
  }
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
