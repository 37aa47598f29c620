import { Router } from 'express'
import { AppError } from '../../errors'
import { allow } from '../../http/access'

/**
 * A backup of the embedded database taken inside the running server, which alone may open its data
 * directory: `npm run db:backup` asks for it with an admin's API token. `takeBackup` is null where there is
 * nothing to take this way (a PostgreSQL server: pg_dump; an in-memory database).
 */
export function backupRouter(takeBackup: (() => Promise<{ archive: Buffer; heldMs: number; fileName: string }>) | null, why: string): Router {
  const router = Router()
  router.get('/admin/backup', allow('admin'), async (req, res) => {
    if (!takeBackup) throw new AppError(409, 'conflict', why, [{ field: 'database', message: why }])
    const started = Date.now()
    const { archive, heldMs, fileName } = await takeBackup()
    // heldMs: how long other requests waited for the database while the files were copied.
    console.log(`[backup] ${req.user!.email} tog en säkerhetskopia: ${(archive.length / 1e6).toFixed(1)} MB på ${((Date.now() - started) / 1000).toFixed(1)} s, databasen upptagen ${heldMs} ms`)
    res.set({
      'Content-Type': 'application/gzip',
      'Content-Disposition': `attachment; filename="${fileName}"`,
      'Cache-Control': 'private, no-store',
    })
    res.send(archive)
  })
  return router
}
