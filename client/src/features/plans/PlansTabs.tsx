import { NavLink } from 'react-router'

/** Åtgärdsplaner and the decision register side by side: one entry in the main menu leads to both. */
export function PlansTabs() {
  return (
    <nav className="sub-nav no-print" aria-label="Åtgärdsplaner och beslut">
      <NavLink to="/atgardsplaner" end>
        Åtgärdsplaner
      </NavLink>
      <NavLink to="/beslut">Beslut</NavLink>
    </nav>
  )
}
