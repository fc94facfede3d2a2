/**
 * Exponential backoff with jitter: attempt n (1-based) waits between half and all of
 * min(maxDelayMs, baseDelayMs · 2^(n-1)), so the wait still grows while relays retrying at once
 * spread out instead of hitting a recovering target together. `random` is injected for tests.
 */
export function retryDelayMs(
  attempt: number,
  policy: { readonly baseDelayMs: number; readonly maxDelayMs: number },
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1))
  return Math.floor(ceiling / 2 + (random() * ceiling) / 2)
}
