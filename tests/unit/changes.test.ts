import { describe, expect, it } from 'vitest'
import { changeCounter, isWrite, keptPerGeneration, keptReads, registerChanges, writeKind } from '../../db/changes'

/** A stand-in database: the registry only needs an object to key on. */
function fakeDb(trusted = true) {
  const db = {} as never
  const changes = changeCounter(trusted)
  registerChanges(db, changes)
  return { db, changes }
}

describe('change generations (db/changes.ts)', () => {
  it('tells statements that write from those that only read', () => {
    expect(isWrite('select 1')).toBe(false)
    expect(isWrite('  WITH x AS (SELECT 1) SELECT * FROM x')).toBe(false)
    expect(isWrite('with gone as (delete from sessions returning 1) select count(*) from gone')).toBe(true)
    expect(isWrite('insert into "observations" ("a") values ($1)')).toBe(true)
    expect(isWrite('update "users" set "disabled" = $1')).toBe(true)
    expect(isWrite('SET LOCAL statement_timeout = 1')).toBe(true)
    expect(isWrite('COMMIT')).toBe(true)
    // Failed sign-ins and a token's last use change nothing that is kept.
    expect(isWrite('update "sign_in_attempts" set "hits" = greatest(hits - 1, 0)')).toBe(false)
    expect(isWrite(' INSERT INTO sign_in_attempts (key_hash, hits) VALUES ($1, 1)')).toBe(false)
    expect(isWrite('update "api_tokens" set "last_used_at" = now()')).toBe(false)
    expect(isWrite('insert into "sign_in_attempts_archive" ("a") values (1)')).toBe(true)
  })

  it('tells a write to the process from one to the figures, and counts a doubt as figures', () => {
    expect(writeKind('select * from measures')).toBeNull()
    expect(writeKind('insert into "measures" ("title") values ($1) returning "id"')).toBe('process')
    expect(writeKind('update "measures" set "title" = $1 where "id" = $2')).toBe('process')
    expect(writeKind('delete from "measure_areas" where "measure_id" = $1')).toBe('process')
    expect(writeKind('insert into "audit_log" ("action") values ($1)')).toBe('process')
    expect(writeKind('WITH gone AS (DELETE FROM sessions WHERE expires_at < now() RETURNING 1) SELECT count(*) FROM gone')).toBe('process')
    expect(writeKind('insert into "observations" ("a") values ($1)')).toBe('figures')
    expect(writeKind('update "indicators" set "name" = $1')).toBe('figures')
    expect(writeKind('TRUNCATE observations')).toBe('figures')
    // One figure table among process ones, an upsert's DO UPDATE, a statement with no target: figures.
    expect(writeKind('WITH m AS (INSERT INTO measures (t) VALUES (1) RETURNING id) UPDATE areas SET name = 1')).toBe('figures')
    expect(writeKind('insert into "measures" ("id") values (1) on conflict ("id") do update set "title" = excluded.title')).toBe('figures')
    expect(writeKind('SET LOCAL statement_timeout = 1')).toBe('figures')
    expect(writeKind('update "users" set "disabled" = true')).toBe('figures')
  })

  it('keeps what depends on the figures alone across a write to the process, and drops it on one to the figures', () => {
    const { db, changes } = fakeDb()
    const figures = keptPerGeneration<string>({ maxEntries: 10, of: 'figures' })
    const all = keptPerGeneration<string>({ maxEntries: 10 })
    figures.set(db, figures.begin(db)!, 'v', 'values')
    all.set(db, all.begin(db)!, 'c', 'catalogue')
    changes.bump('process')
    expect([figures.get(db, 'v'), all.get(db, 'c')]).toEqual(['values', undefined])
    changes.bump('figures')
    expect(figures.get(db, 'v')).toBeUndefined()
    figures.set(db, figures.begin(db)!, 'v', 'again')
    changes.setTrusted(false)
    changes.setTrusted(true)
    expect(figures.get(db, 'v')).toBeUndefined()
  })

  it('serves what was kept only at the generation it was read at, and never a value read before a write committed', () => {
    const { db, changes } = fakeDb()
    const kept = keptPerGeneration<string>({ maxEntries: 10 })
    const g = kept.begin(db)!
    kept.set(db, g, 'a', 'one')
    expect(kept.get(db, 'a')).toBe('one')
    changes.bump()
    expect(kept.get(db, 'a')).toBeUndefined()
    // Read before the write, kept after it: refused.
    const before = kept.begin(db)!
    changes.bump()
    kept.set(db, kept.begin(db)!, 'fresh', 'two')
    kept.set(db, before, 'b', 'stale')
    expect(kept.get(db, 'b')).toBeUndefined()
    // …and what the current generation holds stays.
    expect(kept.get(db, 'fresh')).toBe('two')
  })

  it('keeps nothing while the generation cannot be trusted, nor for a database it does not know', () => {
    const { db, changes } = fakeDb(false)
    const kept = keptPerGeneration<string>({ maxEntries: 10 })
    expect(kept.begin(db)).toBeUndefined()
    changes.setTrusted(true)
    const g = kept.begin(db)!
    kept.set(db, g, 'a', 'one')
    changes.setTrusted(false)
    expect(kept.get(db, 'a')).toBeUndefined()
    expect(kept.begin({})).toBeUndefined()
  })

  it('drops the oldest past the count or the weight', () => {
    const { db } = fakeDb()
    const kept = keptPerGeneration<string>({ maxEntries: 2, maxWeight: 10, weight: (v) => v.length })
    const g = kept.begin(db)!
    kept.set(db, g, 'a', 'aaaa')
    kept.set(db, g, 'b', 'bbbb')
    kept.set(db, g, 'c', 'cc')
    expect([kept.get(db, 'a'), kept.get(db, 'b'), kept.get(db, 'c')]).toEqual([undefined, 'bbbb', 'cc'])
    kept.set(db, g, 'd', 'ddddddddd')
    expect([kept.get(db, 'b'), kept.get(db, 'c'), kept.get(db, 'd')]).toEqual([undefined, undefined, 'ddddddddd'])
    kept.set(db, g, 'e', 'x'.repeat(11))
    expect(kept.get(db, 'e')).toBeUndefined()
  })

  it('runs a kept read once per generation and forgets one that failed', async () => {
    const { db, changes } = fakeDb()
    const read = keptReads<number>()
    let runs = 0
    const once = () => read(db, 'k', async () => ++runs)
    expect([await once(), await once()]).toEqual([1, 1])
    changes.bump()
    expect(await once()).toBe(2)
    const failing = () => read(db, 'f', async () => {
      runs++
      throw new Error('down')
    })
    await expect(failing()).rejects.toThrow('down')
    await expect(failing()).rejects.toThrow('down')
    expect(runs).toBe(4)
  })
})
