import { useEffect, useRef } from 'react'
import { matchPath, useLocation } from 'react-router'
import { useSession } from '../lib/session'

const SITE = 'Lägesbild'

/** Each route's title; null: the page's own heading names it (a snapshot's title). */
const TITLES: Array<[pattern: string, title: string | null]> = [
  ['/logga-in', 'Logga in'],
  ['/lagesbilder', 'Lägesbilder'],
  ['/lagesbilder/:id', null],
  ['/present/:snapshotId', 'Presentation'],
  ['/present/:snapshotId/mote', 'Mötesunderlag'],
  ['/jamfor', 'Jämför områden'],
  ['/aktuellt', 'Aktuellt'],
  ['/indikatorer', 'Indikatorer'],
  ['/importera', 'Importera'],
  ['/prioriteringar', 'Prioriteringar'],
  ['/atgarder', 'Åtgärder'],
  ['/samverkansformer', 'Samverkansformer'],
  ['/trygghetsrapporter', 'Trygghetsrapporter'],
  ['/atgardsplaner', 'Åtgärdsplaner'],
  ['/atgardsplaner/:id', null],
  ['/beslut', 'Beslut'],
  ['/moten', 'Möten'],
  ['/arshjul', 'Årshjul'],
  ['/kommunikation', 'Kommunikationsplan'],
  ['/stadsomrade/:code', null],
  ['/uppfoljning', 'Uppföljning'],
  ['/anvandare', 'Användare'],
  ['/logg', 'Logg över ändringar'],
  ['/api-nycklar', 'Mina API-nycklar'],
  ['/data', 'Om data'],
]

function titleOf(pathname: string, signedIn: boolean): string | null {
  // The public front page keeps the site's own title.
  if (pathname === '/') return signedIn ? `Karta – ${SITE}` : `${SITE} – Trygg i Göteborg`
  const hit = TITLES.find(([pattern]) => matchPath(pattern, pathname))
  if (!hit) return `Sidan finns inte – ${SITE}`
  return hit[1] === null ? null : `${hit[1]} – ${SITE}`
}

/**
 * Names every page in document.title, and after moving to another page puts the focus on its h1 so a
 * screen reader announces it (not on first load, where the browser's own start is right). Only the path
 * counts: the map and the filters keep their state in the query string and must not lose the focus.
 */
export function PageFocus() {
  const { pathname } = useLocation()
  const { ready, user } = useSession()
  const signedIn = Boolean(user)
  // The path the focus was last settled for: only a different one is a move to another page.
  const settled = useRef<string | null>(null)

  useEffect(() => {
    if (!ready) return
    const moved = settled.current !== null && settled.current !== pathname
    settled.current = pathname
    const title = titleOf(pathname, signedIn)
    if (title) document.title = title
    // Pages render their heading once their data or code has arrived: wait for it.
    const settle = () => {
      const h1 = document.querySelector<HTMLElement>('main h1')
      if (!h1) return false
      if (!title) document.title = `${h1.textContent?.trim() || SITE} – ${SITE}`
      // A reader who has already moved into the page keeps their place.
      if (moved && !document.querySelector('main')?.contains(document.activeElement)) {
        if (!h1.hasAttribute('tabindex')) h1.tabIndex = -1
        window.scrollTo(0, 0)
        h1.focus({ preventScroll: true })
      }
      return true
    }
    if (settle()) return
    const observer = new MutationObserver(() => settle() && observer.disconnect())
    observer.observe(document.body, { childList: true, subtree: true })
    const stop = setTimeout(() => observer.disconnect(), 15_000)
    return () => {
      observer.disconnect()
      clearTimeout(stop)
    }
  }, [pathname, ready, signedIn])

  return null
}
