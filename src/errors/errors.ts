// Errors a user can act on. Each carries a one-line cause, a hint saying what to do, and the documented exit code.
// Domain code throws these; src/cli turns them into the single "Error: cause / Hint: hint" output and the exit code.

export const ExitCode = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  badInput: 3,
  unreachable: 4,
  slaNotAchievable: 5,
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class DynamoPlanError extends Error {
  constructor(
    message: string,
    readonly options: {code: string; exitCode: ExitCodeValue; hint?: string; cause?: unknown; details?: Record<string, unknown>},
  ) {
    super(message, {cause: options.cause});
    this.name = 'DynamoPlanError';
  }

  get code(): string {
    return this.options.code;
  }

  get exitCode(): ExitCodeValue {
    return this.options.exitCode;
  }

  get hint(): string | undefined {
    return this.options.hint;
  }

  /** Figures behind the error for machines (printed under --json as error.details), e.g. what an SLA would need. */
  get details(): Record<string, unknown> | undefined {
    return this.options.details;
  }
}

/** A file, flag value or request the user gave us is wrong (exit 3). */
export function badInput(message: string, hint?: string, code = 'E_BAD_INPUT'): DynamoPlanError {
  return new DynamoPlanError(message, {code, exitCode: ExitCode.badInput, hint});
}

/** An engine, Prometheus or other endpoint cannot be reached (exit 4). */
export function unreachable(message: string, hint?: string, cause?: unknown): DynamoPlanError {
  return new DynamoPlanError(message, {code: 'E_UNREACHABLE', exitCode: ExitCode.unreachable, hint, cause});
}

/** The operation was cancelled by the user (Ctrl-C) or an AbortSignal (exit 130). */
export function interrupted(message = 'Interrupted.', hint?: string): DynamoPlanError {
  return new DynamoPlanError(message, {code: 'E_INTERRUPTED', exitCode: ExitCode.interrupted, hint});
}
