import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type { ImportLogDto } from '../../../../server/features/imports/imports.schema'
import type { ApiError } from '../../lib/apiError'
import { DATA_DERIVED, invalidate, useApiQuery } from '../../lib/queries'
import { upload } from './upload'

export const useImportLog = () => useApiQuery<ImportLogDto[]>('/api/imports')

/**
 * Sends a file to an import route with its progress (null: sent, the server is working). A dry run
 * changes nothing; a real import changes every figure, so everything data-derived is asked again.
 */
export function useUpload<T>() {
  const qc = useQueryClient()
  const [fraction, setFraction] = useState<number | null>(0)
  const mutation = useMutation<T, ApiError, { url: string; file: File; dryRun?: boolean }>({
    mutationFn: ({ url, file }) => {
      setFraction(0)
      return upload<T>(url, file, setFraction)
    },
    onSuccess: (_data, { dryRun }) => {
      if (!dryRun) void invalidate(qc, ...DATA_DERIVED)
    },
  })
  return { ...mutation, fraction }
}

export type Upload = ReturnType<typeof useUpload<unknown>>
