import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api } from '../../lib/api'
import type { ApiError } from '../../lib/apiError'
import { invalidate } from '../../lib/queries'

export interface SavedPlace {
  id: number
  name: string
  repaired: string | null
}

/** Saves a drawn place; it becomes an area of its own layer, so the layers and areas are asked again. */
export function useSavePlace() {
  const qc = useQueryClient()
  return useMutation<SavedPlace, ApiError, { name: string; ring: Array<[number, number]> }>({
    mutationFn: ({ name, ring }) => api.post<SavedPlace>('/api/places', { name, geometry: { type: 'Polygon', coordinates: [ring] } }),
    onSuccess: () => invalidate(qc, 'data'),
  })
}
