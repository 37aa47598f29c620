import { NavLink } from 'react-router'

/** Åtgärdsplaner, the decision register and the groups' meetings side by side: one entry in the main menu leads to all three. */
export function PlansTabs() {
  return (
    <nav className="sub-nav no-print" aria-label="Åtgärdsplaner, beslut och möten">
      <NavLink to="/atgardsplaner" end>
        Åtgärdsplaner
      </NavLink>
      <NavLink to="/beslut">Beslut</NavLink>
      <NavLink to="/moten">Möten</NavLink>
    </nav>
  )
}
