/**
 * Report columns: a stable key (the JSON property), a header (CSV and markdown),
 * a type that decides how a cell is validated and written, and a formatter that
 * reads the cell from a row.
 */
import type { StoredField } from './report-error.js';

/**
 * Column types. `integer`, `number`, `currency` and `percent` are numeric: CSV
 * writes them as bare numbers and never neutralises them. `currency` is decimal
 * text (such as `-12.50`), written exactly as given; `percent` is 0 to 100, not a
 * ratio. `date` is `YYYY-MM-DD` and `datetime` an ISO 8601 instant.
 */
export const COLUMN_TYPES = [
  'text',
  'integer',
  'number',
  'currency',
  'percent',
  'boolean',
  'date',
  'datetime',
] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export const NUMERIC_TYPES: ReadonlySet<ColumnType> = new Set([
  'integer',
  'number',
  'currency',
  'percent',
]);

/** Value a formatter returns; null and undefined write an empty cell. */
export type CellValue = string | number | boolean | null | undefined;

export interface Column<Row> {
  /** Stable identifier: the JSON property name; never renamed once shipped. */
  key: string;
  /** Header text of CSV and markdown tables. */
  header: string;
  type: ColumnType;
  /** Meaning of the column, for the report documentation. */
  description: string;
  /**
   * Reads the cell from a row; `row[key]` when absent. Declared as a method so
   * that a column of a specific row type fits a list of columns of any row.
   */
  format?(row: Row): CellValue;
  /**
   * The stored record and field the cell is read from, for columns that show a
   * stored value as it is. An invalid value then names them instead of the row.
   */
  source?(row: Row): StoredField | undefined;
}

/** Reads a column's cell from a row. */
export function readCell<Row>(column: Column<Row>, row: Row): CellValue {
  if (column.format) return column.format(row);
  return (row as Record<string, CellValue>)[column.key];
}
