/** WHATWG "ASCII whitespace": tab, line feed, form feed, carriage return, space. */
function isAsciiWhitespace(code: number): boolean {
  return code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d || code === 0x20;
}

/**
 * Strips ASCII whitespace from both ends and nothing else. Unlike
 * `String.prototype.trim`, it keeps U+FEFF, U+00A0, U+3000 and friends, so
 * the charset rules can reject them instead of silently accepting them.
 */
export function trimAsciiWhitespace(input: string): string {
  let start = 0;
  let end = input.length;
  while (start < end && isAsciiWhitespace(input.charCodeAt(start))) start += 1;
  while (end > start && isAsciiWhitespace(input.charCodeAt(end - 1))) end -= 1;
  return input.slice(start, end);
}
