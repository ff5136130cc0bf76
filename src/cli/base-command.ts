import {Command, Errors, Flags, type Interfaces} from '@oclif/core';
import {DynamoPlanError, ExitCode} from '../errors/errors.js';
import {createProgress, type Progress} from './progress.js';

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>;

/**
 * Every dynamo-plan command extends this: it owns `--json` and `--verbose`, the one-line error format with a hint,
 * the documented exit codes, and progress that goes to stderr only on a TTY and never under --json.
 */
export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    verbose: Flags.boolean({
      description: 'Print debugging detail (stack traces, request logs) to stderr.',
      helpGroup: 'GLOBAL',
    }),
  };

  protected verbose = false;

  protected progress(): Progress {
    return createProgress({enabled: !this.jsonEnabled() && Boolean(process.stderr.isTTY), stream: process.stderr});
  }

  protected override async init(): Promise<void> {
    await super.init();
    this.verbose = this.argv.includes('--verbose');
  }

  protected override async catch(error: Interfaces.CommandError): Promise<unknown> {
    // this.exit() works by throwing; let it through untouched.
    if (error instanceof Errors.ExitError) throw error;
    const {exitCode, payload, hint} = describeError(error);
    if (this.jsonEnabled()) {
      this.logJson({error: payload});
    } else {
      process.stderr.write(`Error: ${payload.message}\n`);
      if (hint) process.stderr.write(`Hint: ${hint}\n`);
      if (this.verbose && error.stack) process.stderr.write(`${error.stack}\n`);
    }
    this.exit(exitCode);
  }
}

export interface ErrorPayload {
  code: string;
  message: string;
  hint?: string;
  exitCode: number;
  details?: Record<string, unknown>;
}

function describeError(error: Interfaces.CommandError): {exitCode: number; payload: ErrorPayload; hint?: string} {
  if (error instanceof DynamoPlanError) {
    return {
      exitCode: error.exitCode,
      hint: error.hint,
      payload: {code: error.code, message: error.message, exitCode: error.exitCode, ...(error.hint ? {hint: error.hint} : {}), ...(error.details ? {details: error.details} : {})},
    };
  }
  const oclifExit = (error as Errors.CLIError).oclif?.exit;
  if (oclifExit === ExitCode.usage) {
    const hint = 'Run the command with --help to see its flags and examples.';
    return {exitCode: ExitCode.usage, hint, payload: {code: 'E_USAGE', message: oneLine(error.message), hint, exitCode: ExitCode.usage}};
  }
  const hint = 'This looks like a bug in dynamo-plan; rerun with --verbose and report the stack trace.';
  return {exitCode: ExitCode.unexpected, hint, payload: {code: 'E_UNEXPECTED', message: oneLine(error.message), hint, exitCode: ExitCode.unexpected}};
}

/** oclif's messages span lines ("Parsing --x", the reason, "See more help with --help"); we print one. */
function oneLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !/^See more help with --help/.test(line));
  return lines.join(': ').replace(/:\s*:/g, ':') || 'Unknown error';
}
