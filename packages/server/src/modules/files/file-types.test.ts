import { describe, expect, it } from 'vitest';
import { FILE_EXTENSIONS } from '@cityops/contracts';
import { allowedType, contentMatches } from './file-types.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
const OLE2 = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(600)]);
const MP4 = Buffer.concat([Buffer.from('000000206674797069736f6d0000020069736f6d69736f3261766331', 'hex'), Buffer.from('6d703431', 'hex'), Buffer.alloc(64)]);

const check = async (name: string, bytes: Buffer) => (await contentMatches(allowedType(name)!, bytes)).ok;

describe('attachment types', () => {
  it('lists the formats of the issue, and nothing executable', () => {
    for (const ext of ['jpg', 'png', 'mp3', 'amr', 'mp4', 'mov', '3gp', 'pdf', 'doc', 'docx', 'wps', 'et', 'dps', 'odt', 'ofd', 'txt']) {
      expect(FILE_EXTENSIONS).toContain(ext);
    }
    for (const name of ['a.exe', 'a.bat', 'a.js', 'a.html', 'a.svg', 'a.docm', 'noext']) expect(allowedType(name)).toBeUndefined();
    expect(allowedType('现场照片.JPG')?.mime).toBe('image/jpeg');
  });

  it('accepts content that fits the extension', async () => {
    expect(await check('a.png', PNG)).toBe(true);
    expect(await check('a.pdf', PDF)).toBe(true);
    expect(await check('a.doc', OLE2)).toBe(true);
    expect(await check('a.wps', OLE2)).toBe(true);
    expect(await check('a.mp4', MP4)).toBe(true);
    expect(await check('a.mov', MP4)).toBe(true);
    expect(await check('记录.txt', Buffer.from('值班记录：一切正常\n'))).toBe(true);
  });

  it('refuses content that does not', async () => {
    expect(await check('a.pdf', EXE)).toBe(false);
    expect(await check('a.txt', EXE)).toBe(false);
    expect(await check('a.docx', EXE)).toBe(false);
    expect(await check('a.jpg', PNG)).toBe(false);
    expect(await check('a.pdf', Buffer.from('plain text, no signature'))).toBe(false);
  });
});
