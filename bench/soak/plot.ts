/**
 * The run as a picture, hand-written SVG: memory (RSS, heap) on top, latency (p50, p99 of the
 * harness's requests, and the gateway's event-loop delay p99) below, over the seconds of the
 * run, with the fault windows shaded and named.
 */
export interface PlotRow {
  readonly s: number
  readonly rssMb?: number | undefined
  readonly heapMb?: number | undefined
  readonly p50Ms?: number | undefined
  readonly p99Ms?: number | undefined
  readonly eldP99Ms?: number | undefined
}

export interface PlotWindow {
  readonly label: string
  readonly fromS: number
  readonly toS: number
}

const W = 900
const PANEL_H = 220
const LEFT = 60
const RIGHT = 20
const TOP = 30
const GAP = 60

type Key = 'rssMb' | 'heapMb' | 'p50Ms' | 'p99Ms' | 'eldP99Ms'

const esc = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;')

function niceMax(v: number): number {
  if (v <= 0) return 1
  const p = 10 ** Math.floor(Math.log10(v))
  for (const m of [1, 2, 5, 10]) if (v <= m * p) return m * p
  return 10 * p
}

function panel(
  rows: readonly PlotRow[],
  windows: readonly PlotWindow[],
  top: number,
  title: string,
  unit: string,
  lines: readonly { key: Key; color: string; label: string }[],
): string {
  const maxS = Math.max(1, ...rows.map((r) => r.s))
  const values = rows.flatMap((r) => lines.map((l) => r[l.key]).filter((v): v is number => v !== undefined))
  const maxV = niceMax(Math.max(0, ...values))
  const x = (s: number): number => LEFT + ((W - LEFT - RIGHT) * s) / maxS
  const y = (v: number): number => top + PANEL_H - (PANEL_H * Math.min(v, maxV)) / maxV
  const out: string[] = [`<text x="${LEFT}" y="${top - 8}" font-weight="bold">${esc(title)}</text>`]
  for (const w of windows) {
    out.push(
      `<rect x="${x(w.fromS).toFixed(1)}" y="${top}" width="${(x(w.toS) - x(w.fromS)).toFixed(1)}" height="${PANEL_H}" fill="#f3d9d9"/>`,
      `<text x="${(x(w.fromS) + 2).toFixed(1)}" y="${top + 12}" font-size="9" fill="#a33">${esc(w.label)}</text>`,
    )
  }
  for (let i = 0; i <= 4; i++) {
    const v = (maxV * i) / 4
    out.push(
      `<line x1="${LEFT}" x2="${W - RIGHT}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`,
      `<text x="${LEFT - 6}" y="${y(v) + 4}" font-size="10" text-anchor="end">${+v.toFixed(2)} ${unit}</text>`,
    )
  }
  out.push(
    `<text x="${W - RIGHT}" y="${top + PANEL_H + 14}" font-size="10" text-anchor="end">${maxS} s</text>`,
  )
  lines.forEach((l, i) => {
    const pts = rows
      .filter((r) => r[l.key] !== undefined)
      .map((r) => `${x(r.s).toFixed(1)},${y(r[l.key]!).toFixed(1)}`)
    if (pts.length > 0) {
      out.push(`<polyline fill="none" stroke="${l.color}" stroke-width="1.5" points="${pts.join(' ')}"/>`)
    }
    out.push(
      `<text x="${LEFT + 10 + i * 150}" y="${top + PANEL_H + 28}" font-size="11" fill="${l.color}">■ ${esc(l.label)}</text>`,
    )
  })
  return out.join('\n')
}

export function plotSvg(rows: readonly PlotRow[], windows: readonly PlotWindow[], title: string): string {
  const height = TOP + 2 * PANEL_H + GAP + 60
  const body = [
    panel(rows, windows, TOP + 20, 'memory', 'MB', [
      { key: 'rssMb', color: '#1f77b4', label: 'RSS' },
      { key: 'heapMb', color: '#2ca02c', label: 'heap used' },
    ]),
    panel(rows, windows, TOP + 20 + PANEL_H + GAP, 'latency', 'ms', [
      { key: 'p50Ms', color: '#1f77b4', label: 'p50' },
      { key: 'p99Ms', color: '#d62728', label: 'p99' },
      { key: 'eldP99Ms', color: '#9467bd', label: 'event-loop delay p99' },
    ]),
  ]
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${LEFT}" y="18" font-size="14">${esc(title)}</text>
${body.join('\n')}
</svg>
`
}
