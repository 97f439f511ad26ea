import { randomBytes, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../core/db.js';
import { sysKey } from '../../core/crypto/key.table.js';
import { hmacSm3Hex } from '../../core/crypto/sm.js';

/** How long the download link of an upgrade message stays valid. */
export const LINK_HOURS = 24;

const KEY_NAME = 'iot.ota.link';

/** The HMAC key of download links, shared by every node (created once, insert-if-absent then read). */
export async function loadLinkKey(db: Db): Promise<Buffer> {
  await db.insert(sysKey).values({ name: KEY_NAME, value: randomBytes(32).toString('hex') }).onConflictDoNothing();
  const [row] = await db.select().from(sysKey).where(eq(sysKey.name, KEY_NAME));
  return Buffer.from(row!.value, 'hex');
}

/**
 * Signed, expiring firmware download links: devices fetch the package without a session, and a
 * link names the device it was made for, so the download is traced to it.
 * token = `{expiresSeconds}.{deviceId}.{HMAC-SM3(key, firmwareId.deviceId.expiresSeconds)}`.
 */
export function firmwareLinks(key: Buffer, publicUrl = '') {
  const sign = (firmwareId: string, deviceId: string, exp: number) => hmacSm3Hex(key, `${firmwareId}.${deviceId}.${exp}`);
  const token = (firmwareId: string, deviceId: string, expiresAt: Date) => {
    const exp = Math.floor(expiresAt.getTime() / 1000);
    return `${exp}.${deviceId}.${sign(firmwareId, deviceId, exp)}`;
  };
  return {
    token,

    url(firmwareId: string, deviceId: string, expiresAt = new Date(Date.now() + LINK_HOURS * 3600_000)) {
      return `${publicUrl}/api/iot/ota/firmware/${firmwareId}/download?token=${token(firmwareId, deviceId, expiresAt)}`;
    },

    /** The device the link was made for, or why it is refused. */
    verify(firmwareId: string, value: string, now = Date.now()): { deviceId: string } | { refused: 'invalid' | 'expired' } {
      const [expText, deviceId, mac] = value.split('.');
      const exp = Number(expText);
      if (!deviceId || !mac || !Number.isInteger(exp)) return { refused: 'invalid' };
      const want = Buffer.from(sign(firmwareId, deviceId, exp), 'hex');
      const got = Buffer.from(mac, 'hex');
      if (got.length !== want.length || !timingSafeEqual(got, want)) return { refused: 'invalid' };
      if (exp * 1000 < now) return { refused: 'expired' };
      return { deviceId };
    },
  };
}
export type FirmwareLinks = ReturnType<typeof firmwareLinks>;
