import { useEffect, useState } from 'react'

/**
 * A ref for an element and its content width, followed as it resizes (`fallback` until measured): a chart
 * drawn at the width it gets keeps 11 px text and thins its labels for that width, instead of shrinking.
 */
export function useWidth<T extends HTMLElement>(fallback: number): [(el: T | null) => void, number] {
  const [el, setEl] = useState<T | null>(null)
  const [width, setWidth] = useState(fallback)
  useEffect(() => {
    if (!el) return
    const observer = new ResizeObserver(([entry]) => {
      const w = Math.floor(entry?.contentRect.width ?? 0)
      if (w > 0) setWidth(w)
    })
    observer.observe(el)
    return () => observer.disconnect()
  }, [el])
  return [setEl, width]
}
