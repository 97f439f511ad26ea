import crypto from 'node:crypto';
import { inArray } from 'drizzle-orm';
import type { Db } from '../db.js';
import { sysKey } from './key.table.js';
import { generateSm2KeyPair, type Sm2KeyPair } from './sm.js';

export interface Keys {
  sm2: Sm2KeyPair;
  auditKey: Buffer;
}

/**
 * Loads the keys, creating them on first start. Insert-if-absent then read, so that nodes starting
 * together agree on one set.
 */
export async function loadKeys(db: Db): Promise<Keys> {
  const pair = generateSm2KeyPair();
  await db
    .insert(sysKey)
    .values([
      { name: 'sm2.public', value: pair.publicKey },
      { name: 'sm2.private', value: pair.privateKey },
      { name: 'audit.hmac', value: crypto.randomBytes(32).toString('hex') },
    ])
    .onConflictDoNothing();
  const rows = await db.select().from(sysKey).where(inArray(sysKey.name, ['sm2.public', 'sm2.private', 'audit.hmac']));
  const get = (n: string) => {
    const v = rows.find((r) => r.name === n)?.value;
    if (!v) throw new Error(`key ${n} missing`);
    return v;
  };
  return {
    sm2: { publicKey: get('sm2.public'), privateKey: get('sm2.private') },
    auditKey: Buffer.from(get('audit.hmac'), 'hex'),
  };
}
