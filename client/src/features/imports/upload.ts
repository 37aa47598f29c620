import { ApiError, errorFrom } from '../../lib/apiError'
import { writeHeaders } from '../../lib/session'

/**
 * Sends a file with upload progress (fetch has none). Resolves to the parsed answer; a refusal rejects
 * with the client's one ApiError (the rows and fields the server found wrong in its details).
 */
export function upload<T>(url: string, file: File, onProgress: (fraction: number | null) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    const isJson = /\.(geo)?json$/i.test(file.name)
    xhr.setRequestHeader('Content-Type', isJson ? 'application/geo+json' : 'text/csv')
    xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name))
    xhr.setRequestHeader('Accept', 'application/json')
    for (const [name, value] of Object.entries(writeHeaders())) xhr.setRequestHeader(name, value)
    xhr.upload.onprogress = (e) => onProgress(e.lengthComputable ? e.loaded / e.total : null)
    // Sent: the server now reads and aggregates; no fraction is known for that part.
    xhr.upload.onload = () => onProgress(null)
    xhr.onload = () => {
      let body: unknown = null
      try {
        body = JSON.parse(xhr.responseText)
      } catch {
        // Not our JSON (a proxy's HTML page, say): say in Swedish what the status means.
        return reject(errorFrom(xhr.status, xhr.statusText, null))
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T)
      else reject(errorFrom(xhr.status, xhr.statusText, body))
    }
    xhr.onerror = () => reject(new ApiError(0, 'Nätverksfel: filen kunde inte skickas'))
    xhr.send(file)
  })
}
