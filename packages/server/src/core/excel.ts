import type { FastifyReply } from 'fastify';
import ExcelJS from 'exceljs';

export interface ExcelColumn<T> {
  header: string;
  width?: number;
  value: (row: T) => string | number | Date | null | undefined;
}

export interface XlsxOptions {
  /** Label/value lines written to a second sheet (who exported, with which filters, whether rows were cut…). */
  notes?: [string, string][];
  /** Name of that sheet; default 导出说明. */
  notesSheet?: string;
}

/** One sheet with a bold, frozen header row; opens in Excel, WPS and LibreOffice. */
export async function toXlsx<T>(sheetName: string, columns: ExcelColumn<T>[], rows: Iterable<T>, opts: XlsxOptions = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'CityOps 城运平台';
  wb.created = new Date();
  const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width ?? 16 }));
  ws.getRow(1).font = { bold: true };
  for (const row of rows) ws.addRow(columns.map((c) => c.value(row) ?? ''));
  if (opts.notes?.length) {
    const info = wb.addWorksheet(opts.notesSheet ?? '导出说明');
    info.columns = [{ width: 16 }, { width: 80 }];
    for (const [label, value] of opts.notes) info.addRow([label, value]).getCell(1).font = { bold: true };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Sends a workbook as a download with a UTF-8 file name (RFC 5987). */
export function sendXlsx(reply: FastifyReply, fileName: string, body: Buffer) {
  return reply
    .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`)
    .send(body);
}
