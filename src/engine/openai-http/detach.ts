/**
 * A copy of a slice that does not keep alive the string it was cut from. V8 slices share their parent's characters, so
 * keeping a short slice of a read's decoded text for longer than the read (a template, an unfinished line) would pin
 * the whole text, tens of KiB, and the garbage collector would copy and promote it.
 */
export function detach(slice: string): string {
  return JSON.parse(JSON.stringify(slice)) as string;
}
