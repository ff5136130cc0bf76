import {badInput} from '../../errors/errors.js';

/** RFC 9110 token characters, what a header name may be made of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Field values may not break a line (a header injection) or hold NUL. */
const BAD_VALUE = /[\r\n\0]/;

/**
 * The head of a POST up to its Content-Length, prepared once per client: `headers` are the caller's (content type,
 * authorization, custom ones). Throws a bad-input error for a header no server should receive.
 */
export function postHead(path: string, host: string, headers: Record<string, string>): string {
  const lines = [`POST ${path} HTTP/1.1`];
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'host')) lines.push(`host: ${host}`);
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    // The client frames the body itself.
    if (lower === 'content-length' || lower === 'transfer-encoding') continue;
    if (!TOKEN.test(name) || BAD_VALUE.test(value)) {
      throw badInput(`The header ${JSON.stringify(name)} cannot be sent: ${TOKEN.test(name) ? 'its value breaks the line' : 'not a valid name'}.`,
        'Header names are letters, digits and -; values stay on one line.', 'E_BAD_HEADER');
    }
    lines.push(`${name}: ${value}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The whole request text: the prepared head, the body's length, a blank line and the body. */
export function postRequest(head: string, body: string): string {
  return `${head}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}
