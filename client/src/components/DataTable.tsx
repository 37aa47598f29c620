import { Fragment, type HTMLAttributes, type ReactNode } from 'react'

export interface Column<T> {
  key: string
  header: ReactNode
  cell(row: T): ReactNode
  /** The column that names the row: a <th scope="row">. */
  rowHeader?: boolean
  /** `num` right-aligns figures. */
  className?: string
}

export interface DataTableProps<T> {
  rows: readonly T[]
  columns: ReadonlyArray<Column<T>>
  rowKey(row: T): string | number
  /** Attributes of a row's <tr> (data-* the tests read, a class). */
  rowProps?(row: T): HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, string | number | undefined>
  /** Shown under a row, spanning the table (an inline form). */
  after?(row: T): ReactNode
  testId?: string
  className?: string
  /** Wide tables scroll on their own instead of widening the page (the default; false for a bare table). */
  scroll?: boolean
}

/** A table of rows with a header row: column headers scoped, the naming column as row headers. */
export function DataTable<T>({ rows, columns, rowKey, rowProps, after, testId, className, scroll = true }: DataTableProps<T>) {
  const table = (
    <table data-testid={testId} className={className}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th scope="col" key={c.key}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const extra = after?.(row)
          return (
            <Fragment key={rowKey(row)}>
              <tr {...rowProps?.(row)}>
                {columns.map((c) =>
                  c.rowHeader ? (
                    <th scope="row" key={c.key} className={c.className}>
                      {c.cell(row)}
                    </th>
                  ) : (
                    // The column's name above the cell where a narrow screen stacks the row (stack-narrow).
                    <td key={c.key} className={c.className} data-label={typeof c.header === 'string' ? c.header : undefined}>
                      {c.cell(row)}
                    </td>
                  ),
                )}
              </tr>
              {extra}
            </Fragment>
          )
        })}
      </tbody>
    </table>
  )
  return scroll ? <div className="table-scroll">{table}</div> : table
}
