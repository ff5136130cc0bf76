import {Errors, Flags} from '@oclif/core';
import {ExitCode} from '../errors/errors.js';

/** A floating-point flag with bounds; a bad value is a usage error (exit 2) that names the flag and the range. */
export const float = Flags.custom<number, {min?: number; max?: number}>({
  async parse(input, _context, options) {
    const value = Number(input);
    const {min = -Infinity, max = Infinity} = options;
    if (input.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
      const range = max === Infinity ? `>= ${min}` : `between ${min} and ${max}`;
      throw new Errors.CLIError(`Expected a number ${range}, got "${input}".`, {exit: ExitCode.usage});
    }
    return value;
  },
});

/** A positive rate in requests per second, where "inf" means everything at once (as vllm bench serve). */
export const rate = Flags.custom<number>({
  async parse(input) {
    if (/^inf(inity)?$/i.test(input.trim())) return Infinity;
    const value = Number(input);
    if (input.trim() === '' || !Number.isFinite(value) || value <= 0) {
      throw new Errors.CLIError(`Expected a rate > 0 in requests per second, or "inf", got "${input}".`, {exit: ExitCode.usage});
    }
    return value;
  },
});
