import type { FeatureCollection } from 'geojson'
import * as maplibregl from 'maplibre-gl'
import 'maplibre-gl/dist/maplibre-gl.css'
// MapLibre 6 loads its worker from a URL a bundler cannot see; ?worker&url makes Vite emit it whole.
import maplibreWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url'
import { useEffect, useRef, useState } from 'react'
import { baseStyle, choroplethColor, drawingFeatures, GOTEBORG_BOUNDS, hatchImage, HATCH_IMAGE, LAYERS, projectLayers, SOURCES } from './style'

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
}

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
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right')
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right')
    map.on('load', () => {
      map.addImage(HATCH_IMAGE, hatchImage(), { pixelRatio: 1 })
      for (const id of Object.values(SOURCES)) map.addSource(id, { type: 'geojson', data: EMPTY })
      for (const layer of projectLayers({ opaque, colors: [], noDataColor: latest.current.noDataColor })) map.addLayer(layer)
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
    mapRef.current!.fitBounds(props.focus, { padding: 30, animate: false })
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
    for (const [id, s] of props.states) map.setFeatureState({ source: SOURCES.areas, id }, { cls: s.cls ?? -1, suppressed: s.suppressed })
    if (props.selectedId !== null) map.setFeatureState({ source: SOURCES.areas, id: props.selectedId }, { selected: true })
    for (const id of props.highlightIds) map.setFeatureState({ source: SOURCES.areas, id }, { measure: true })
    selected.current = props.selectedId
    map.setPaintProperty(LAYERS.fill, 'fill-color', choroplethColor(props.colors, props.noDataColor))
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
      container.current!.dataset.dense = String(props.labels.length > 60 && map.getZoom() < 11.5)
    }
    dense()
    map.on('zoomend', dense)
    return () => {
      map.off('zoomend', dense)
    }
  }, [loaded, props.labels])

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
  }, [loaded, props.labels])

  return <div ref={container} className="map" role="region" aria-label={props.ariaLabel} data-testid="map" />
}
