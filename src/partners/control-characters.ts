/**
 * Partner data (names, redirect URIs, scopes) is printed to administrators' terminals. C0, DEL
 * and C1 characters are refused at registration; what the org answered or an older store holds
 * is escaped on output, so no value can move a cursor, rewrite a line or set a title.
 */

// The one-byte CSI (0x9b) and its C1 siblings act like ESC sequences on many terminals.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_ALL = /[\u0000-\u001f\u007f-\u009f]/g

export function hasControlCharacter(value: string): boolean {
  return CONTROL.test(value)
}

/** Each control character as a visible `\xNN` (and `\` itself as `\\`, so the text stays unambiguous). */
export function terminalSafe(value: string): string {
  if (!CONTROL.test(value) && !value.includes('\\')) return value
  return value
    .replace(/\\/g, '\\\\')
    .replace(CONTROL_ALL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

/** JSON keeps C1 characters raw; written to a terminal they must be `\u` escapes too. */
export function terminalSafeJson(json: string): string {
  return json.replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
