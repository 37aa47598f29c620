import bbox from '@turf/bbox'
import type { FeatureCollection } from 'geojson'
import * as maplibregl from 'maplibre-gl'
import 'maplibre-gl/dist/maplibre-gl.css'
// MapLibre 6 loads its worker from a URL a bundler cannot see; ?worker&url makes Vite emit it whole.
import maplibreWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url'
import { useEffect, useRef, useState } from 'react'
import { labelPriority, placeLabels, type LabelBox, type Obstacle } from './labels'
import './labels.css'
import { baseStyle, choroplethColor, classColor, drawingFeatures, GOTEBORG_BOUNDS, hatchImage, HATCH_IMAGE, LAYERS, projectLayers, SOURCES } from './style'

export interface AreaState {
  cls: number | null
  suppressed: boolean
}

export interface MapViewProps {
  basemapStyleUrl: string | null
  land: FeatureCollection | null
  areas: FeatureCollection | null
  overlay: FeatureCollection | null
  showOverlay: boolean
  colors: readonly string[]
  noDataColor: string
  states: ReadonlyMap<number, AreaState>
  selectedId: number | null
  /** Areas of a measure shown on the map. */
  highlightIds: readonly number[]
  /** Identifies what is drawn; written to data-rendered-key once the map has painted it. */
  renderKey: string
  labels: ReadonlyArray<{ id: number; lngLat: [number, number]; text: string }>
  onHover(h: { id: number; x: number; y: number } | null): void
  onSelect(id: number | null): void
  /** While a place is drawn, clicks add corners instead of selecting areas. */
  drawing: ReadonlyArray<[number, number]> | null
  onDrawClick(lngLat: [number, number]): void
  ariaLabel: string
  /** Zoom to these bounds ([[west, south], [east, north]]) instead of the whole city. */
  focus?: [[number, number], [number, number]] | null
  /** Glide to a new focus (unless the user prefers reduced motion); the first focus is always a jump. */
  animateFocus?: boolean
}

/** An area's name label: its element, measured once, and where and how large its area is. */
interface NameLabel {
  id: number
  el: HTMLElement
  lngLat: [number, number]
  bbox: [number, number, number, number]
  priority: number
  width: number
  height: number
}

const prefersReducedMotion = () => typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches

maplibregl.setWorkerUrl(maplibreWorkerUrl)

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] }

declare global {
  interface Window {
    /** The map, for browser tests and debugging in the console. */
    __lagesbildMap?: maplibregl.Map
  }
}

/**
 * Owns the one MapLibre map: created once; data, classes and colours are pushed in as feature-state,
 * paint properties and setData, never by rebuilding the map.
 */
export function MapView(props: MapViewProps) {
  const container = useRef<HTMLDivElement>(null)
  const mapRef = useRef<maplibregl.Map | null>(null)
  const [loaded, setLoaded] = useState(false)
  const latest = useRef(props)
  latest.current = props
  const shownAreas = useRef<FeatureCollection | null>(null)
  const hovered = useRef<number | null>(null)
  const selected = useRef<number | null>(null)
  const markers = useRef<maplibregl.Marker[]>([])
  const nameLayer = useRef<HTMLDivElement | null>(null)
  const names = useRef<NameLabel[]>([])
  const layoutFrame = useRef(0)
  const focused = useRef(false)
  // While the user has not moved the map since it zoomed to the focus, the focus is kept on resizes.
  const holdFocus = useRef(false)
  const fitFocus = (animate: boolean) => {
    const focus = latest.current.focus
    if (!focus || !mapRef.current) return
    // No zooming in past street level on a small area: the map should still show where it lies.
    mapRef.current.fitBounds(focus, { padding: 30, maxZoom: 15, animate, duration: animate ? 600 : 0 })
  }

  /** Shows the names that fit where the map now is (see labels.ts), clear of the "dolt" labels. */
  const layoutNames = () => {
    layoutFrame.current = 0
    const map = mapRef.current
    // A frame scheduled before the map was taken down (a slide moved on) finds no layer: nothing to lay out.
    if (!map || !nameLayer.current || names.current.length === 0) return
    const { clientWidth: width, clientHeight: height } = map.getContainer()
    const dense = container.current?.dataset.dense === 'true'
    const obstacles: Obstacle[] = []
    const doltHeight = new Map<number, number>()
    if (!dense) {
      latest.current.labels.forEach((l, i) => {
        const el = markers.current[i]?.getElement()
        if (!el) return
        const p = map.project(l.lngLat)
        obstacles.push({ x: p.x, y: p.y, width: el.offsetWidth, height: el.offsetHeight })
        doltHeight.set(l.id, el.offsetHeight)
      })
    }
    const selectedId = latest.current.selectedId
    const boxes: LabelBox[] = names.current.map((n) => {
      const p = map.project(n.lngLat)
      const nw = map.project([n.bbox[0], n.bbox[3]])
      const se = map.project([n.bbox[2], n.bbox[1]])
      // Above an area's "dolt" label, so both can be read.
      const lift = doltHeight.has(n.id) ? (doltHeight.get(n.id)! + n.height) / 2 + 1 : 0
      return {
        id: n.id,
        x: p.x,
        y: p.y - lift,
        width: n.width,
        height: n.height,
        priority: n.id === selectedId ? Infinity : n.priority,
        areaWidth: se.x - nw.x,
        areaHeight: se.y - nw.y,
      }
    })
    const shown = placeLabels(boxes, { width, height }, obstacles)
    names.current.forEach((n, i) => {
      const b = boxes[i]!
      n.el.hidden = !shown.has(n.id)
      if (!n.el.hidden) n.el.style.transform = `translate(${Math.round(b.x - b.width / 2)}px, ${Math.round(b.y - b.height / 2)}px)`
    })
    nameLayer.current.dataset.laidOut = 'true'
  }
  // At most once a frame, however many move events come.
  const scheduleLayout = () => {
    if (!layoutFrame.current) layoutFrame.current = requestAnimationFrame(layoutNames)
  }

  useEffect(() => {
    const opaque = !props.basemapStyleUrl
    const map = new maplibregl.Map({
      container: container.current!,
      style: baseStyle(props.basemapStyleUrl),
      bounds: GOTEBORG_BOUNDS,
      fitBoundsOptions: { padding: 10 },
      attributionControl: false,
      // Keeps the drawn frame readable for PNG export and pixel checks.
      canvasContextAttributes: { preserveDrawingBuffer: true },
    })
    mapRef.current = map
    window.__lagesbildMap = map
    const layer = document.createElement('div')
    layer.className = 'map-names'
    layer.setAttribute('aria-hidden', 'true')
    map.getCanvasContainer().appendChild(layer)
    nameLayer.current = layer
    map.on('move', scheduleLayout)
    map.on('resize', scheduleLayout)
    map.on('movestart', (e) => {
      if ((e as { originalEvent?: Event }).originalEvent) holdFocus.current = false
    })
    // The area panel opening beside the map narrows it just after the zoom: zoom again to the new size.
    map.on('resize', () => {
      if (holdFocus.current) fitFocus(false)
    })
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right')
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right')
    map.on('load', () => {
      map.addImage(HATCH_IMAGE, hatchImage(), { pixelRatio: 1 })
      for (const id of Object.values(SOURCES)) map.addSource(id, { type: 'geojson', data: EMPTY })
      for (const layer of projectLayers({ opaque, noDataColor: latest.current.noDataColor })) map.addLayer(layer)
      setLoaded(true)
    })
    map.on('mousemove', LAYERS.fill, (e) => {
      const id = e.features?.[0]?.id
      if (typeof id !== 'number') return
      if (hovered.current !== id) {
        if (hovered.current !== null) map.setFeatureState({ source: SOURCES.areas, id: hovered.current }, { hover: false })
        map.setFeatureState({ source: SOURCES.areas, id }, { hover: true })
        hovered.current = id
      }
      map.getCanvas().style.cursor = 'pointer'
      latest.current.onHover({ id, x: e.point.x, y: e.point.y })
    })
    map.on('mouseleave', LAYERS.fill, () => {
      if (hovered.current !== null) map.setFeatureState({ source: SOURCES.areas, id: hovered.current }, { hover: false })
      hovered.current = null
      map.getCanvas().style.cursor = ''
      latest.current.onHover(null)
    })
    map.on('click', (e) => {
      if (latest.current.drawing) {
        latest.current.onDrawClick([Math.round(e.lngLat.lng * 1e6) / 1e6, Math.round(e.lngLat.lat * 1e6) / 1e6])
        return
      }
      const hit = map.queryRenderedFeatures(e.point, { layers: [LAYERS.fill] })[0]
      latest.current.onSelect(typeof hit?.id === 'number' ? hit.id : null)
    })
    return () => {
      cancelAnimationFrame(layoutFrame.current)
      layoutFrame.current = 0
      map.remove()
      mapRef.current = null
      if (window.__lagesbildMap === map) delete window.__lagesbildMap
    }
    // The map is created once; a new basemap needs a reload of the page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  useEffect(() => {
    if (!loaded) return
    ;(mapRef.current!.getSource(SOURCES.land) as maplibregl.GeoJSONSource).setData(props.land ?? EMPTY)
  }, [loaded, props.land])

  useEffect(() => {
    if (!loaded) return
    ;(mapRef.current!.getSource(SOURCES.overlay) as maplibregl.GeoJSONSource).setData(props.overlay ?? EMPTY)
  }, [loaded, props.overlay])

  useEffect(() => {
    if (!loaded) return
    mapRef.current!.setLayoutProperty(LAYERS.overlay, 'visibility', props.showOverlay ? 'visible' : 'none')
  }, [loaded, props.showOverlay])

  useEffect(() => {
    if (!loaded) return
    ;(mapRef.current!.getSource(SOURCES.draw) as maplibregl.GeoJSONSource).setData(drawingFeatures(props.drawing ?? []))
    mapRef.current!.getCanvas().style.cursor = props.drawing ? 'crosshair' : ''
  }, [loaded, props.drawing])

  // Before the paint pass below, so the frame marked as painted is the zoomed one.
  useEffect(() => {
    if (!loaded || !props.focus) return
    const animate = Boolean(latest.current.animateFocus) && focused.current && !prefersReducedMotion()
    focused.current = true
    holdFocus.current = true
    fitFocus(animate)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded, props.focus])

  // Areas, classes and colours: one pass, then mark the frame as painted.
  useEffect(() => {
    if (!loaded) return
    const map = mapRef.current!
    const el = container.current!
    el.dataset.renderedKey = ''
    if (shownAreas.current !== props.areas) {
      ;(map.getSource(SOURCES.areas) as maplibregl.GeoJSONSource).setData(props.areas ?? EMPTY)
      shownAreas.current = props.areas
      hovered.current = null
      selected.current = null
    }
    map.removeFeatureState({ source: SOURCES.areas })
    for (const [id, s] of props.states) map.setFeatureState({ source: SOURCES.areas, id }, { cls: s.cls ?? -1, color: classColor(props.colors, s.cls), suppressed: s.suppressed })
    if (props.selectedId !== null) map.setFeatureState({ source: SOURCES.areas, id: props.selectedId }, { selected: true })
    for (const id of props.highlightIds) map.setFeatureState({ source: SOURCES.areas, id }, { measure: true })
    selected.current = props.selectedId
    // The same expression unless the no-data colour changed (MapLibre then does nothing): no fade.
    map.setPaintProperty(LAYERS.fill, 'fill-color', choroplethColor(props.noDataColor))
    const key = props.renderKey
    let cancelled = false
    const markPainted = () => {
      if (cancelled || !map.isStyleLoaded() || !map.areTilesLoaded()) return
      map.off('idle', markPainted)
      el.dataset.renderedKey = key
      performance.mark('lagesbild:painted', { detail: key })
    }
    map.on('idle', markPainted)
    map.triggerRepaint()
    return () => {
      cancelled = true
      map.off('idle', markPainted)
    }
  }, [loaded, props.areas, props.states, props.colors, props.noDataColor, props.selectedId, props.highlightIds, props.renderKey])

  // Hundreds of small areas at city zoom would bury the map in labels: show them once zoomed in.
  useEffect(() => {
    if (!loaded) return
    const map = mapRef.current!
    const dense = () => {
      // A zoom that ends as the map is taken down (a slide moving on) has no container left.
      if (!container.current) return
      container.current.dataset.dense = String(props.labels.length > 60 && map.getZoom() < 11.5)
      // Names keep clear of the "dolt" labels only while those show.
      scheduleLayout()
    }
    dense()
    map.on('zoomend', dense)
    return () => {
      map.off('zoomend', dense)
    }
  }, [loaded, props.labels])

  // Every area's name, measured once here; which ones show is decided on every move.
  useEffect(() => {
    if (!loaded) return
    const layer = nameLayer.current!
    layer.replaceChildren()
    layer.dataset.laidOut = 'false'
    names.current = (props.areas?.features ?? []).flatMap((f) => {
      const p = f.properties as { id?: unknown; name?: unknown; labelPoint?: [number, number] } | null
      if (typeof p?.id !== 'number' || typeof p.name !== 'string' || !p.labelPoint) return []
      const el = document.createElement('span')
      el.className = 'map-label-name'
      el.textContent = p.name
      el.dataset.areaId = String(p.id)
      layer.appendChild(el)
      const box = bbox(f) as [number, number, number, number]
      return [{ id: p.id, el, lngLat: p.labelPoint, bbox: box, priority: labelPriority(box), width: 0, height: 0 }]
    })
    // One layout pass for all of them, then each keeps its size.
    for (const n of names.current) {
      n.width = n.el.offsetWidth
      n.height = n.el.offsetHeight
    }
    scheduleLayout()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded, props.areas])

  useEffect(() => {
    if (loaded) scheduleLayout()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded, props.selectedId])

  useEffect(() => {
    if (!loaded) return
    for (const m of markers.current) m.remove()
    markers.current = props.labels.map((l) => {
      const el = document.createElement('span')
      el.className = 'map-label-suppressed'
      el.textContent = l.text
      el.setAttribute('aria-hidden', 'true')
      return new maplibregl.Marker({ element: el }).setLngLat(l.lngLat).addTo(mapRef.current!)
    })
    scheduleLayout()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded, props.labels])

  return <div ref={container} className="map" role="region" aria-label={props.ariaLabel} data-testid="map" />
}
