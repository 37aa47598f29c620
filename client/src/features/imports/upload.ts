import { writeHeaders } from '../../lib/session'

/** Sends a file with upload progress (fetch has none), answering with status and parsed JSON. */
export interface ErrorBody {
  error: { code: string; message: string; details: Array<{ row?: number; field?: string; message: string }> }
}

export interface UploadResult<T> {
  status: number
  body: T | ErrorBody
}

export function upload<T>(url: string, file: File, onProgress: (fraction: number | null) => void): Promise<UploadResult<T>> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    const isJson = /\.(geo)?json$/i.test(file.name)
    xhr.setRequestHeader('Content-Type', isJson ? 'application/geo+json' : 'text/csv')
    xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name))
    for (const [name, value] of Object.entries(writeHeaders())) xhr.setRequestHeader(name, value)
    xhr.upload.onprogress = (e) => onProgress(e.lengthComputable ? e.loaded / e.total : null)
    // Sent: the server now reads and aggregates; no fraction is known for that part.
    xhr.upload.onload = () => onProgress(null)
    xhr.onload = () => {
      let body: unknown
      try {
        body = JSON.parse(xhr.responseText)
      } catch {
        body = { error: { code: 'internal', message: xhr.statusText || 'Oväntat svar från servern', details: [] } }
      }
      resolve({ status: xhr.status, body: body as UploadResult<T>['body'] })
    }
    xhr.onerror = () => reject(new Error('Nätverksfel: filen kunde inte skickas'))
    xhr.send(file)
  })
}

export function isError(b: unknown): b is ErrorBody {
  return typeof b === 'object' && b !== null && 'error' in b
}
