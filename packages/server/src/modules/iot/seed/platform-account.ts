import crypto from 'node:crypto';
import type { Db } from '../../../core/db.js';
import { hashPassword } from '../../../core/crypto/sm.js';
import { userRepository } from '../../system/user.repository.js';

export const PLATFORM_USERNAME = 'iot-platform';
export const PLATFORM_NAME = '物联感知平台';

/** Who the IoT platform acts as in the event hub (the creator of the events its alarms start). */
export interface PlatformAccount {
  id: string;
  name: string;
}

/**
 * The built-in account 物联感知平台, made once: disabled, with a random password nobody knows, so
 * that events have a real creator and nobody can log in as it.
 */
export async function seedPlatformAccount(db: Db): Promise<PlatformAccount> {
  const users = userRepository(db);
  const found = await users.byUsername(PLATFORM_USERNAME);
  if (found) return { id: found.id, name: found.name };
  // Few iterations: the password is 32 random bytes thrown away at once, never guessed nor checked.
  const row = await users.insert({
    username: PLATFORM_USERNAME, name: PLATFORM_NAME, enabled: false,
    passwordHash: hashPassword(crypto.randomBytes(32).toString('base64url'), 1000),
  }).catch(async (err) => {
    // Another node made it at the same moment.
    const again = await users.byUsername(PLATFORM_USERNAME);
    if (!again) throw err;
    return again;
  });
  return { id: row.id, name: row.name };
}
