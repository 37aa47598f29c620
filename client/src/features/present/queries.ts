import { keepPreviousData, useMutation, useQueryClient } from '@tanstack/react-query'
import type { DeckDto, MeetingPackDto, Slide } from '../../../../server/features/snapshots/snapshots.schema'
import { api } from '../../lib/api'
import type { ApiError } from '../../lib/apiError'
import { invalidate, useApiQuery } from '../../lib/queries'
import { snapshotPaths } from '../../lib/snapshots'

const deckPath = (snapshotId: number) => `${snapshotPaths.one(snapshotId)}/deck`

/** A snapshot's stored deck; a saved deck replaces the shown one without a gap, so the editor keeps its state. */
export const useDeck = (snapshotId: number | null) => useApiQuery<DeckDto>(snapshotId === null ? null : deckPath(snapshotId), { placeholderData: keepPreviousData })

/** The meeting pack for a query (area or the whole city, dates or a registered meeting), or nothing while none is chosen. */
export const useMeeting = (snapshotId: number | null, query: string | null) =>
  useApiQuery<MeetingPackDto>(snapshotId !== null && query ? `${snapshotPaths.one(snapshotId)}/meeting?${query}` : null)

/** Saves the deck at the version read: someone else's edit since then is refused (409). */
export function useSaveDeck(snapshotId: number) {
  const qc = useQueryClient()
  return useMutation<DeckDto, ApiError, { version: number; slides: Slide[] }>({
    mutationFn: (deck) => api.put<DeckDto>(deckPath(snapshotId), deck),
    onSuccess: () => invalidate(qc, 'snapshots'),
  })
}

/** Appends a slide to the deck as it is now on the server (read afresh: its version guards the write). */
export function useAddSlide(snapshotId: number) {
  const qc = useQueryClient()
  return useMutation<DeckDto, ApiError, Slide>({
    mutationFn: async (slide) => {
      const deck = await api.get<DeckDto>(deckPath(snapshotId))
      return api.put<DeckDto>(deckPath(snapshotId), { version: deck.version, slides: [...deck.slides, slide] })
    },
    onSuccess: () => invalidate(qc, 'snapshots'),
  })
}
