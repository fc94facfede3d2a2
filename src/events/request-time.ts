const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n))

let lastSecond = -1
let lastText = ''

/**
 * `$context.requestTime` format: `12/Mar/2024:19:03:58 +0000` (CLF, always UTC). Every request
 * in the same second shares the text, so it is built once a second.
 */
export function formatRequestTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000)
  if (second === lastSecond) return lastText
  lastSecond = second
  lastText = buildRequestTime(epochMs)
  return lastText
}

function buildRequestTime(epochMs: number): string {
  const d = new Date(epochMs)
  return (
    `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`
  )
}
