import { sm2 } from 'sm-crypto';
import { api } from '@/api/client';
import type { CallOptions } from '@/api/client';

/**
 * Encrypts passwords with the server's SM2 public key (C1C3C2, as the server expects).
 * The key is fetched for every use, so a restarted server with a new key pair is never a problem.
 */
export async function encryptPasswords<T extends readonly string[]>(
  passwords: T,
  options?: CallOptions,
): Promise<{ -readonly [K in keyof T]: string }> {
  const { publicKey, cipherMode } = await api.publicKey(undefined, options);
  return passwords.map((p) => sm2.doEncrypt(p, publicKey, cipherMode)) as { -readonly [K in keyof T]: string };
}
