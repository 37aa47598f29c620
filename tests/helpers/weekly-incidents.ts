import { sql } from 'kysely'
import type { Db } from '../../db/connect'
import { parsePeriod } from '../../server/core/period'

/** ISO weeks `from`…`to` of a year: weeks(2026, 8, 11) → 2026-W08 … 2026-W11. */
export const weeks = (year: number, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${year}-W${String(from + i).padStart(2, '0')}`)

/** The i-th day (mod 7) of an ISO week, as YYYY-MM-DD. */
export const dayOf = (week: string, i: number) => new Date(Date.parse(`${parsePeriod(week)!.start}T00:00:00Z`) + (i % 7) * 86_400_000).toISOString().slice(0, 10)

/**
 * An incident file (the police's export layout: Datum;Kategori;X;Y in SWEREF 99 TM) with `count(code, week)`
 * events of `category` in each current primärområde and week, at points drawn inside the area by PostGIS;
 * `withTime` gives each a local time of day (event i of a week at (5i + 17) mod 24 hours and 15 minutes).
 */
export async function weeklyIncidentsCsv(
  db: Db,
  weekList: readonly string[],
  count: (code: string, week: string) => number,
  opts: { category?: string; points?: number; pointsIn?: Record<string, number>; seed?: number; withTime?: boolean } = {},
): Promise<string> {
  // Points drawn per area: enough that events rarely share a point, more where many happen.
  const { rows } = await sql<{ code: string; x: number; y: number }>`
    SELECT code, ST_X(g) AS x, ST_Y(g) AS y FROM (
      SELECT code, (ST_Dump(ST_GeneratePoints(geom, COALESCE((${JSON.stringify(opts.pointsIn ?? {})}::jsonb ->> code)::int, ${opts.points ?? 200}::int), ${opts.seed ?? 7}))).geom AS g
      FROM areas WHERE layer_id = 'primaromrade' AND valid_to IS NULL
    ) p`.execute(db.kysely)
  const pool = new Map<string, typeof rows>()
  for (const r of rows) pool.set(r.code, [...(pool.get(r.code) ?? []), r])
  const used = new Map<string, number>()
  const lines: string[] = []
  for (const w of weekList) {
    for (const [code, list] of pool) {
      for (let i = 0; i < count(code, w); i++) {
        const k = used.get(code) ?? 0
        used.set(code, k + 1)
        const p = list[k % list.length]!
        lines.push(`${dayOf(w, i)}${opts.withTime ? ` ${String((i * 5 + 17) % 24).padStart(2, '0')}:15` : ''};${opts.category ?? 'Rån'};${String(p.x).replace('.', ',')};${String(p.y).replace('.', ',')}`)
      }
    }
  }
  return '\uFEFFDatum;Kategori;X;Y\r\n' + lines.join('\r\n') + '\r\n'
}
