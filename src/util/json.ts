/** The JSON value `text` holds, or undefined when it is not JSON (an error page, an empty body). */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
