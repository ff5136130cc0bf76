import {randomBytes} from 'node:crypto';
import {mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {basename, dirname, join} from 'node:path';
import {badInput} from '../errors/errors.js';

/** The bytes of a file the user pointed us at; a missing or unreadable file is bad input. */
export function readFileBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw badInput(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`, 'Check the path and its permissions.', 'E_FILE_UNREADABLE');
  }
}

/**
 * Write a file so readers see the old content or the new, never half of it: write a temporary file beside it,
 * then rename over it (atomic within one filesystem). Parent directories are created.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    mkdirSync(dirname(path), {recursive: true});
    writeFileSync(temporary, data);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, {force: true});
    throw badInput(`Cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`, 'Check that the output directory is writable.', 'E_FILE_UNWRITABLE');
  }
}
