import { useEffect, useRef, useState } from 'react'
import { Link, NavLink, useLocation } from 'react-router'
import { useIndicators } from '../lib/queries'
import { ROLE_LABELS, useSession, type Role } from '../lib/session'

export const MEMBERS: Role[] = ['admin', 'analyst', 'local']
export const ANALYSTS: Role[] = ['admin', 'analyst']

export const DEMO_NOTICE = 'Demoläge: indikatorvärdena är syntetiska, inte verklig statistik'

/**
 * One row: brand, demo badge, menu, account. Below the width where the menu fits (app.css) the menu and
 * the account fold behind a button.
 */
export function Header() {
  const { user, signOut } = useSession()
  const demo = useIndicators().data?.some((i) => i.demo)
  const is = (roles: Role[]) => Boolean(user && roles.includes(user.role))
  const [open, setOpen] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  const { pathname } = useLocation()

  // A new page closes the menu.
  useEffect(() => setOpen(false), [pathname])
  useEffect(() => {
    if (!open) return
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return
      setOpen(false)
      button.current?.focus()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [open])

  return (
    <header className="app-header">
      <a className="skip" href="#main">
        Hoppa till innehållet
      </a>
      <div className="brand">
        <span className="brand-name">Lägesbild</span>
        <span className="brand-sub">Trygg i Göteborg</span>
      </div>
      {demo && (
        // The full notice is the link's name and tooltip, and is spelled out on the data page.
        <Link to="/data#demolage" className="demo-badge" title={DEMO_NOTICE} aria-label={DEMO_NOTICE}>
          Demoläge
        </Link>
      )}
      <button ref={button} type="button" className="menu-button" aria-expanded={open} aria-controls="app-menu" onClick={() => setOpen((o) => !o)}>
        <span aria-hidden="true">☰</span> Meny
      </button>
      <div id="app-menu" className="app-menu" data-open={open}>
        <nav aria-label="Huvudmeny">
          {is(MEMBERS) && (
            <>
              <NavLink to="/" end>
                Karta
              </NavLink>
              {/* Aktuellt is a tab of Jämför: the weekly picture compares the last 28 days. */}
              <NavLink to="/jamfor" className={({ isActive }) => (isActive || pathname === '/aktuellt' ? 'active' : undefined)}>
                Jämför
              </NavLink>
              <NavLink to="/prioriteringar">Prioriteringar</NavLink>
              {/* Samverkansformer and Trygghetsrapporter are tabs of Åtgärder, like Beslut of Åtgärdsplaner. */}
              <NavLink to="/atgarder" className={({ isActive }) => (isActive || pathname === '/samverkansformer' || pathname === '/trygghetsrapporter' ? 'active' : undefined)}>
                Åtgärder
              </NavLink>
              {/* The decision register is a tab of Åtgärdsplaner: the admin's menu has no room for one more link at 1280. */}
              <NavLink to="/atgardsplaner" className={({ isActive }) => (isActive || pathname === '/beslut' || pathname === '/moten' || pathname === '/arshjul' ? 'active' : undefined)}>
                Åtgärdsplaner
              </NavLink>
              <NavLink to="/uppfoljning">Uppföljning</NavLink>
            </>
          )}
          {is(ANALYSTS) && (
            <>
              <NavLink to="/indikatorer">Indikatorer</NavLink>
              <NavLink to="/importera">Importera</NavLink>
            </>
          )}
          <NavLink to="/lagesbilder">Lägesbilder</NavLink>
          <NavLink to="/data">Om data</NavLink>
          {is(['admin']) && (
            <>
              <NavLink to="/anvandare">Användare</NavLink>
              <NavLink to="/logg">Logg</NavLink>
            </>
          )}
        </nav>
        <div className="account">
          {user ? (
            <>
              <span className="account-who" data-testid="signed-in-as">
                {/* The account's own page (its API tokens), on the name: the admin's header has no room for a link more at 1280. */}
                <Link to="/api-nycklar" className="account-name" title="Mina API-nycklar">
                  {user.name || user.email}
                  <span className="sr-only">: mina API-nycklar</span>
                </Link>
                <span className="account-role">
                  <span className="sr-only">, </span>
                  {ROLE_LABELS[user.role]}
                  {user.stadsomrade ? ` ${user.stadsomrade.name}` : ''}
                </span>
              </span>
              <button type="button" className="link" onClick={() => void signOut()}>
                Logga ut
              </button>
            </>
          ) : (
            <NavLink to="/logga-in">Logga in</NavLink>
          )}
        </div>
      </div>
    </header>
  )
}
