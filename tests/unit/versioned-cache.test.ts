import { describe, expect, it } from 'vitest'
import { versionedCache } from '../../server/core/versioned-cache'

describe('versionedCache', () => {
  it('computes once per database, version and key, and again for a new version', async () => {
    const cache = versionedCache<number>()
    const db = {}
    let runs = 0
    const compute = async () => ++runs
    expect(await cache(db, 1, 'a', compute)).toBe(1)
    expect(await cache(db, 1, 'a', compute)).toBe(1)
    expect(await cache(db, 1, 'b', compute)).toBe(2)
    expect(await cache({}, 1, 'a', compute)).toBe(3)
    expect(await cache(db, 2, 'a', compute)).toBe(4)
    expect(await cache(db, 2, 'b', compute)).toBe(5)
  })

  it('forgets a failed computation so the next call tries again', async () => {
    const cache = versionedCache<string>()
    const db = {}
    await expect(cache(db, 1, 'k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(await cache(db, 1, 'k', async () => 'ok')).toBe('ok')
  })
})

describe('versionedCache with a bound and composite versions', () => {
  it('keeps at most maxEntries keys and treats a string version like a number', async () => {
    const cache = versionedCache<number>({ maxEntries: 2 })
    const db = {}
    let runs = 0
    const compute = async () => ++runs
    expect(await cache(db, '1:1', 'a', compute)).toBe(1)
    expect(await cache(db, '1:1', 'b', compute)).toBe(2)
    expect(await cache(db, '1:1', 'a', compute)).toBe(1)
    // A third key drops the two before it.
    expect(await cache(db, '1:1', 'c', compute)).toBe(3)
    expect(await cache(db, '1:1', 'a', compute)).toBe(4)
    expect(await cache(db, '1:2', 'a', compute)).toBe(5)
  })
})
