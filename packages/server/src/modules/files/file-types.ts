import { fileTypeFromBuffer } from 'file-type';
import { fileExtension, type FileExtension } from '@cityops/contracts';

/**
 * How the server treats each extension of the allow-list (contracts `FILE_KINDS`, shared with the
 * web): the MIME type we serve it with and what `file-type` may find in its first bytes; a file whose
 * content says otherwise (an executable renamed .pdf) is refused.
 */
export interface AllowedType {
  ext: string;
  mime: string;
  /** Shown in the browser (images, audio, video, PDF) rather than saved, unless asked to download. */
  inline: boolean;
  /**
   * `file-type` results the content may have; `null` means "no signature found" is fine (plain text);
   * 'any': opaque bytes of another module's own kind (firmware), never served inline.
   */
  signatures: (string | null)[] | 'any';
}

/** How many leading bytes the content check reads (what file-type needs for the formats below). */
export const SIGNATURE_BYTES = 4100;

// ISO base media files (MP4, MOV, 3GP, M4A) share one container; phones label them loosely.
const ISO_MEDIA = ['mp4', 'm4v', 'm4a', 'm4b', 'm4p', 'mov', '3gp', '3g2', 'f4v', 'f4a', 'f4b', 'f4p'];
const OGG = ['ogg', 'oga', 'ogv', 'opus', 'spx', 'ogm', 'ogx'];
const MATROSKA = ['mkv', 'webm'];
// OLE2 compound files (Word 97–2003, Excel, PowerPoint, WPS); a zip of OOXML is read as plain zip
// when its parts lie beyond the sampled bytes.
const OLE2 = ['cfb'];
const OOXML = ['docx', 'xlsx', 'pptx', 'zip'];

type Handling = Omit<AllowedType, 'ext'>;
const shown = (mime: string, signatures: string[]): Handling => ({ mime, inline: true, signatures });
const doc = (mime: string, signatures: (string | null)[]): Handling => ({ mime, inline: false, signatures });

/** One entry per allowed extension: the compiler refuses a missing or an extra one. */
const HANDLING: Record<FileExtension, Handling> = {
  jpg: shown('image/jpeg', ['jpg']),
  jpeg: shown('image/jpeg', ['jpg']),
  png: shown('image/png', ['png', 'apng']),
  gif: shown('image/gif', ['gif']),
  bmp: shown('image/bmp', ['bmp']),
  webp: shown('image/webp', ['webp']),
  mp3: shown('audio/mpeg', ['mp3', 'mp2', 'mp1']),
  wav: shown('audio/wav', ['wav']),
  amr: shown('audio/amr', ['amr']),
  m4a: shown('audio/mp4', ISO_MEDIA),
  aac: shown('audio/aac', ['aac', ...ISO_MEDIA]),
  ogg: shown('audio/ogg', OGG),
  mp4: shown('video/mp4', ISO_MEDIA),
  mov: shown('video/quicktime', ISO_MEDIA),
  avi: shown('video/x-msvideo', ['avi']),
  wmv: shown('video/x-ms-wmv', ['asf']),
  flv: shown('video/x-flv', ['flv']),
  mkv: shown('video/x-matroska', MATROSKA),
  webm: shown('video/webm', MATROSKA),
  '3gp': shown('video/3gpp', ISO_MEDIA),
  pdf: shown('application/pdf', ['pdf', 'ai']),
  doc: doc('application/msword', [...OLE2, 'rtf']),
  docx: doc('application/vnd.openxmlformats-officedocument.wordprocessingml.document', OOXML),
  xls: doc('application/vnd.ms-excel', OLE2),
  xlsx: doc('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', OOXML),
  ppt: doc('application/vnd.ms-powerpoint', OLE2),
  pptx: doc('application/vnd.openxmlformats-officedocument.presentationml.presentation', OOXML),
  // WPS Office's own formats are OLE2; some versions save OOXML under these names.
  wps: doc('application/wps-office.wps', [...OLE2, ...OOXML]),
  et: doc('application/wps-office.et', [...OLE2, ...OOXML]),
  dps: doc('application/wps-office.dps', [...OLE2, ...OOXML]),
  odt: doc('application/vnd.oasis.opendocument.text', ['odt', 'zip']),
  ods: doc('application/vnd.oasis.opendocument.spreadsheet', ['ods', 'zip']),
  odp: doc('application/vnd.oasis.opendocument.presentation', ['odp', 'zip']),
  // OFD (GB/T 33190) is a zip package file-type does not name.
  ofd: doc('application/ofd', ['zip']),
  txt: doc('text/plain', [null, 'xml']),
};

/** The allowed type of a file name, or undefined when its extension is not on the list. */
export function allowedType(name: string): AllowedType | undefined {
  const ext = fileExtension(name);
  return Object.hasOwn(HANDLING, ext) ? { ext, ...HANDLING[ext as FileExtension] } : undefined;
}

/** Whether the first bytes of a file fit its allowed type; returns what was detected. */
export async function contentMatches(type: AllowedType, head: Uint8Array): Promise<{ ok: boolean; detected: string | null }> {
  const detected = (await fileTypeFromBuffer(head))?.ext ?? null;
  return { ok: type.signatures === 'any' || type.signatures.includes(detected), detected };
}
