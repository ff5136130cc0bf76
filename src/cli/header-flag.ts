import {Errors, Flags} from '@oclif/core';
import {ExitCode} from '../errors/errors.js';

/** An HTTP header given as Name=Value (repeat the flag for more). */
export const header = Flags.custom<string>({
  async parse(input) {
    if (input.indexOf('=') <= 0) throw new Errors.CLIError(`Expected Name=Value, got "${input}".`, {exit: ExitCode.usage});
    return input;
  },
});

export function headersFromFlags(values: readonly string[] | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const value of values ?? []) {
    const equals = value.indexOf('=');
    headers[value.slice(0, equals).trim()] = value.slice(equals + 1).trim();
  }
  return headers;
}
