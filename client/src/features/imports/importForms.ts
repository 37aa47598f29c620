/** What the import forms share: the coordinate systems offered, and a file is required. */
export const CRS_OPTIONS = [
  { value: 'EPSG:3006', label: 'SWEREF 99 TM (EPSG:3006)' },
  { value: 'EPSG:3007', label: 'SWEREF 99 12 00 (EPSG:3007)' },
  { value: 'EPSG:4326', label: 'WGS 84 (EPSG:4326)' },
]

export const fileRules = {
  validate: (files: FileList | null) => (files !== null && files.length > 0) || 'välj en fil',
}
