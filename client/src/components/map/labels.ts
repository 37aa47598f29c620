/**
 * Area names on the map without glyphs: the offline style has no glyph server, so names are HTML labels
 * laid over the map. Which of them show is decided here, purely, from screen boxes: larger areas first,
 * a label only where its area is big enough on screen to carry it and where it overlaps no label already
 * placed, so that the 96 primärområden or 320 DeSO never pile up at city zoom and come in as one zooms.
 */

/** A label's box on screen (CSS px): centred on x, y. */
export interface LabelBox {
  id: number
  x: number
  y: number
  width: number
  height: number
  /** Higher first: area size, the chosen area above all. */
  priority: number
  /** The area's own extent on screen; a label wider than this much of its area is left out. */
  areaWidth: number
  areaHeight: number
}

/** Boxes already on the map that names must keep clear of (the "dolt" labels). */
export type Obstacle = Pick<LabelBox, 'x' | 'y' | 'width' | 'height'>

/** How much wider than its area a name may be: names of narrow areas may run over the edges a little. */
export const MIN_AREA_SHARE = 0.6
/** Clear space between two labels (px). */
export const LABEL_GAP = 4

const overlaps = (a: Obstacle, b: Obstacle, gap: number) =>
  Math.abs(a.x - b.x) * 2 < a.width + b.width + 2 * gap && Math.abs(a.y - b.y) * 2 < a.height + b.height + 2 * gap

/**
 * The ids of the labels to show: greedily by priority (ties by id, so the choice is stable while the map
 * moves), each inside the view, fitting its area and clear of the obstacles and every label placed before it.
 */
export function placeLabels(
  boxes: readonly LabelBox[],
  view: { width: number; height: number },
  obstacles: readonly Obstacle[] = [],
  gap = LABEL_GAP,
): Set<number> {
  const placed: Obstacle[] = [...obstacles]
  const shown = new Set<number>()
  const order = [...boxes].sort((a, b) => b.priority - a.priority || a.id - b.id)
  for (const b of order) {
    if (b.x - b.width / 2 < 0 || b.y - b.height / 2 < 0 || b.x + b.width / 2 > view.width || b.y + b.height / 2 > view.height) continue
    if (b.areaWidth < b.width * MIN_AREA_SHARE || b.areaHeight < b.height) continue
    if (placed.some((p) => overlaps(p, b, gap))) continue
    placed.push(b)
    shown.add(b.id)
  }
  return shown
}

/** An area's size for ordering its label: its extent in degrees, lengths east–west shrunk by latitude. */
export function labelPriority(bbox: readonly [number, number, number, number]): number {
  const [w, s, e, n] = bbox
  return (e - w) * Math.cos((((s + n) / 2) * Math.PI) / 180) * (n - s)
}
