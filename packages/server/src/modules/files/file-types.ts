import { fileTypeFromBuffer } from 'file-type';

/**
 * The one list of attachment types CityOps accepts. Each extension names the MIME type we serve it
 * with and what `file-type` may find in its first bytes; a file whose content says otherwise (an
 * executable renamed .pdf) is refused.
 */
export interface AllowedType {
  ext: string;
  mime: string;
  /** Shown in the browser (images, audio, video, PDF) rather than saved, unless asked to download. */
  inline: boolean;
  /** `file-type` results the content may have; `null` means "no signature found" is fine (plain text). */
  signatures: (string | null)[];
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

const shown = (ext: string, mime: string, signatures: string[]): AllowedType => ({ ext, mime, inline: true, signatures });
const doc = (ext: string, mime: string, signatures: (string | null)[]): AllowedType => ({ ext, mime, inline: false, signatures });

const TYPES: AllowedType[] = [
  shown('jpg', 'image/jpeg', ['jpg']),
  shown('jpeg', 'image/jpeg', ['jpg']),
  shown('png', 'image/png', ['png', 'apng']),
  shown('gif', 'image/gif', ['gif']),
  shown('bmp', 'image/bmp', ['bmp']),
  shown('webp', 'image/webp', ['webp']),
  shown('mp3', 'audio/mpeg', ['mp3', 'mp2', 'mp1']),
  shown('wav', 'audio/wav', ['wav']),
  shown('amr', 'audio/amr', ['amr']),
  shown('m4a', 'audio/mp4', ISO_MEDIA),
  shown('aac', 'audio/aac', ['aac', ...ISO_MEDIA]),
  shown('ogg', 'audio/ogg', OGG),
  shown('mp4', 'video/mp4', ISO_MEDIA),
  shown('mov', 'video/quicktime', ISO_MEDIA),
  shown('avi', 'video/x-msvideo', ['avi']),
  shown('wmv', 'video/x-ms-wmv', ['asf']),
  shown('flv', 'video/x-flv', ['flv']),
  shown('mkv', 'video/x-matroska', MATROSKA),
  shown('webm', 'video/webm', MATROSKA),
  shown('3gp', 'video/3gpp', ISO_MEDIA),
  shown('pdf', 'application/pdf', ['pdf', 'ai']),
  doc('doc', 'application/msword', [...OLE2, 'rtf']),
  doc('docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', OOXML),
  doc('xls', 'application/vnd.ms-excel', OLE2),
  doc('xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', OOXML),
  doc('ppt', 'application/vnd.ms-powerpoint', OLE2),
  doc('pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation', OOXML),
  // WPS Office's own formats are OLE2; some versions save OOXML under these names.
  doc('wps', 'application/wps-office.wps', [...OLE2, ...OOXML]),
  doc('et', 'application/wps-office.et', [...OLE2, ...OOXML]),
  doc('dps', 'application/wps-office.dps', [...OLE2, ...OOXML]),
  doc('odt', 'application/vnd.oasis.opendocument.text', ['odt', 'zip']),
  doc('ods', 'application/vnd.oasis.opendocument.spreadsheet', ['ods', 'zip']),
  doc('odp', 'application/vnd.oasis.opendocument.presentation', ['odp', 'zip']),
  // OFD (GB/T 33190) is a zip package file-type does not name.
  doc('ofd', 'application/ofd', ['zip']),
  doc('txt', 'text/plain', [null, 'xml']),
];

const BY_EXT = new Map(TYPES.map((t) => [t.ext, t]));

export const ALLOWED_EXTENSIONS = TYPES.map((t) => t.ext);

/** The lower-case extension of a file name, without the dot ('' when there is none). */
export const extensionOf = (name: string) => /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';

/** The allowed type of a file name, or undefined when its extension is not on the list. */
export const allowedType = (name: string): AllowedType | undefined => BY_EXT.get(extensionOf(name));

/** Whether the first bytes of a file fit its allowed type; returns what was detected. */
export async function contentMatches(type: AllowedType, head: Uint8Array): Promise<{ ok: boolean; detected: string | null }> {
  const detected = (await fileTypeFromBuffer(head))?.ext ?? null;
  return { ok: type.signatures.includes(detected), detected };
}
