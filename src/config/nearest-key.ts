/**
 * The known key closest to a misspelt one, for "did you mean" hints: the smallest edit distance
 * (case-insensitive), and only when it is at most half the key's length, so that a hint is
 * never a guess at something unrelated. `prefix`, when every name shares it, is left out of
 * the comparison.
 */
export function nearestKey(key: string, known: Iterable<string>, prefix = ''): string | undefined {
  const bare = (name: string): string => (name.startsWith(prefix) ? name.slice(prefix.length) : name)
  key = bare(key)
  const lower = key.toLowerCase()
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of known) {
    const d = editDistance(lower, bare(candidate).toLowerCase())
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  const allowed = Math.max(2, Math.floor(key.length / 2))
  return bestDistance <= allowed ? best : undefined
}

/** Levenshtein distance with adjacent transpositions counted as one edit. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = []
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i]
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j)
        continue
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, rows[i - 2]![j - 2]! + 1)
      row.push(d)
    }
    rows.push(row)
  }
  return rows[a.length]![b.length]!
}
