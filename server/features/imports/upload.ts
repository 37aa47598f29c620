import { createHash } from 'node:crypto'
import { CsvError } from '../../core/csv'
import { AppError } from '../../errors'

export const MAX_UPLOAD_BYTES = 256 * 1024 * 1024

/**
 * Passes an upload through while hashing it and enforcing the size limit, so the file is never held
 * whole in memory and its hash is known when the last byte has been read.
 */
export function meteredUpload(input: AsyncIterable<Uint8Array>, maxBytes = MAX_UPLOAD_BYTES) {
  const hash = createHash('sha256')
  let bytes = 0
  let done = false
  async function* stream(): AsyncGenerator<Uint8Array> {
    for await (const chunk of input) {
      bytes += chunk.byteLength
      if (bytes > maxBytes) {
        throw new AppError(413, 'payload_too_large', `Filen är för stor: högst ${Math.round(maxBytes / 1024 / 1024)} MB`, [
          { field: 'file', message: `larger than ${maxBytes} bytes` },
        ])
      }
      hash.update(chunk)
      yield chunk
    }
    done = true
  }
  return {
    stream: stream(),
    get bytes() {
      return bytes
    },
    /** The file's SHA-256, once the stream has been read to the end. */
    sha256(): string {
      if (!done) throw new Error('sha256() before the upload was read to the end')
      return hash.digest('hex')
    },
  }
}

/** A 422 naming every problem by row and field; the caller has changed nothing. */
export function rejected(message: string, problems: Array<{ row?: number; field?: string; message: string }>): AppError {
  const shown = problems.slice(0, 200)
  const more = problems.length - shown.length
  return new AppError(422, 'validation_failed', more > 0 ? `${message} (${problems.length} fel, de första 200 visas)` : message, shown)
}

/** A CSV that cannot be read becomes a 422 naming its line; anything else passes through. */
export function csvProblem(err: unknown): unknown {
  if (err instanceof CsvError) return rejected(err.message, [{ row: err.line, field: 'file', message: err.message }])
  return err
}
