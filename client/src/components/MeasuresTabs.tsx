import { NavLink } from 'react-router'

/**
 * Åtgärder, the samverkansformer they run in and the local groups' trygghetsrapporter side by side: one entry
 * in the main menu leads to all three.
 */
export function MeasuresTabs() {
  return (
    <nav className="sub-nav no-print" aria-label="Åtgärder, samverkansformer och trygghetsrapporter">
      <NavLink to="/atgarder" end>
        Åtgärder
      </NavLink>
      <NavLink to="/samverkansformer">Samverkansformer</NavLink>
      <NavLink to="/trygghetsrapporter">Trygghetsrapporter</NavLink>
    </nav>
  )
}
