import crypto from 'node:crypto';
import { inArray } from 'drizzle-orm';
import type { Db } from '../db.js';
import { sysKey } from './key.table.js';
import { generateSm2KeyPair, type Sm2KeyPair } from './sm.js';

export interface Keys {
  sm2: Sm2KeyPair;
  auditKey: Buffer;
  /** SM4 key of personal fields, and the HMAC key of their blind index. */
  fieldKey: Buffer;
  blindIndexKey: Buffer;
}

const NAMES = ['sm2.public', 'sm2.private', 'audit.hmac', 'field.sm4', 'field.index'];

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
      { name: 'field.sm4', value: crypto.randomBytes(16).toString('hex') },
      { name: 'field.index', value: crypto.randomBytes(32).toString('hex') },
    ])
    .onConflictDoNothing();
  const rows = await db.select().from(sysKey).where(inArray(sysKey.name, NAMES));
  const get = (n: string) => {
    const v = rows.find((r) => r.name === n)?.value;
    if (!v) throw new Error(`key ${n} missing`);
    return v;
  };
  return {
    sm2: { publicKey: get('sm2.public'), privateKey: get('sm2.private') },
    auditKey: Buffer.from(get('audit.hmac'), 'hex'),
    fieldKey: Buffer.from(get('field.sm4'), 'hex'),
    blindIndexKey: Buffer.from(get('field.index'), 'hex'),
  };
}
