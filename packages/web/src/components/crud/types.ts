/** Declarative descriptions of list pages: the search form's fields and the table's columns. */

export interface OptionItem {
  label: string;
  value: string;
}

export interface SearchField {
  /** Key in the search model. */
  prop: string;
  label: string;
  type: 'input' | 'select' | 'datetimerange';
  placeholder?: string;
  options?: readonly OptionItem[];
  /** Control width in px. */
  width?: number;
  maxlength?: number;
}

export interface TableColumn<Row> {
  /** Field of the row shown (also the key of the column). */
  prop: Extract<keyof Row, string>;
  label: string;
  width?: number;
  minWidth?: number;
  align?: 'left' | 'center' | 'right';
  fixed?: 'left' | 'right';
  /** Shorten long text with an ellipsis and show the whole in a tooltip. */
  tooltip?: boolean;
  /** Plain-text rendering; defaults to the field's value ('—' when empty). */
  format?: (row: Row) => string;
  /** Name of a table slot that renders the cell instead (for tags and other markup). */
  slot?: string;
}

export const EMPTY_CELL = '—';

/** Default times of a picked day range: from 00:00:00 of the first day to 23:59:59 of the last. */
export const DAY_BOUNDS: [Date, Date] = [new Date(2000, 0, 1, 0, 0, 0), new Date(2000, 0, 1, 23, 59, 59)];

export function cellText<Row>(row: Row, column: TableColumn<Row>): string {
  if (column.format) return column.format(row) || EMPTY_CELL;
  const value = row[column.prop];
  return value === null || value === undefined || value === '' ? EMPTY_CELL : String(value);
}
