import { NavLink } from 'react-router'

/** Comparing areas and this week's local picture side by side: one entry in the main menu leads to both. */
export function CompareTabs() {
  return (
    <nav className="sub-nav no-print" aria-label="Jämförelser och veckans läge">
      <NavLink to="/jamfor" end>
        Jämför områden
      </NavLink>
      <NavLink to="/aktuellt">Aktuellt</NavLink>
    </nav>
  )
}
