import { describe, expect, it } from 'vitest'
import { AppError } from '../../server/errors'
import { meteredUpload } from '../../server/features/imports/upload'

async function* chunks(n: number, size: number) {
  for (let i = 0; i < n; i++) yield new Uint8Array(size).fill(65)
}

describe('meteredUpload', () => {
  it('hashes what passes through', async () => {
    const u = meteredUpload(chunks(3, 10), 100)
    let total = 0
    for await (const c of u.stream) total += c.byteLength
    expect(total).toBe(30)
    // sha256 of 30 × 'A' (sha256sum)
    expect(u.sha256()).toBe('37b9403cf88cc2639d0a118d757a43a0ff6d4871823707ab6a8bb56bc68e8e79')
  })

  it('stops a file over the limit with a 413 naming the limit', async () => {
    const u = meteredUpload(chunks(5, 1024 * 1024), 3 * 1024 * 1024)
    const read = async () => {
      for await (const _ of u.stream) void _
    }
    await expect(read()).rejects.toSatisfy((e: unknown) => e instanceof AppError && e.status === 413 && /3 MB/.test(e.message))
  })

  it('will not give a hash before the end', () => {
    expect(() => meteredUpload(chunks(1, 1)).sha256()).toThrow(/before the upload was read/)
  })
})
