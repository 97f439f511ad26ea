/**
 * Saves text made in the browser as a file (a thing model's JSON). No byte-order mark: JSON
 * readers refuse one. Reading a chosen file back: `readTextFile`.
 */
export function saveText(name: string, text: string, type = 'application/json;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A chosen file's text, without a byte-order mark (an editor may have added one). */
export async function readTextFile(file: Blob): Promise<string> {
  return (await file.text()).replace(/^\uFEFF/, '');
}

/** A chosen file as base64 (the device import sends the .xlsx that way). */
export async function readBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
