import { NavLink } from 'react-router'

/** Åtgärdsplaner, the decision register, the groups' meetings, the communication plan and the årshjul side by side: one entry in the main menu leads to all five. */
export function PlansTabs() {
  return (
    <nav className="sub-nav no-print" aria-label="Åtgärdsplaner, beslut, möten, kommunikation och årshjul">
      <NavLink to="/atgardsplaner" end>
        Åtgärdsplaner
      </NavLink>
      <NavLink to="/beslut">Beslut</NavLink>
      <NavLink to="/moten">Möten</NavLink>
      <NavLink to="/kommunikation">Kommunikation</NavLink>
      <NavLink to="/arshjul">Årshjul</NavLink>
    </nav>
  )
}
