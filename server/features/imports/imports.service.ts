import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { listImportLog } from './imports.repository'
import type { ImportLogDto } from './imports.schema'

// The imports themselves are services of their own: boundaries.import.ts, incidents.import.ts, observations.import.ts.

/** The latest 200 imports, newest first. */
export async function listImports(db: Kysely<Database>): Promise<ImportLogDto[]> {
  const rows = await listImportLog(db, 200)
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    fileName: r.file_name,
    sha256: r.file_sha256,
    rowsRead: r.rows_read,
    rowsAccepted: r.rows_accepted,
    demo: r.is_demo,
    createdAt: new Date(r.created_at).toISOString(),
    replacedAt: r.replaced_at ? new Date(r.replaced_at).toISOString() : null,
    replacedBy: r.replaced_by,
    details: r.details,
  }))
}
