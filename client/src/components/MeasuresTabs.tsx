import { NavLink } from 'react-router'

/** Åtgärder and the samverkansformer they run in side by side: one entry in the main menu leads to both. */
export function MeasuresTabs() {
  return (
    <nav className="sub-nav no-print" aria-label="Åtgärder och samverkansformer">
      <NavLink to="/atgarder" end>
        Åtgärder
      </NavLink>
      <NavLink to="/samverkansformer">Samverkansformer</NavLink>
    </nav>
  )
}
