/**
 * Login cost: the password KDF at several iteration counts (what an offline guesser pays per try),
 * and the whole login request (decrypt SM2 → verify → session → operation log) on PGlite and,
 * if reachable, PostgreSQL. Run: node --import tsx bench/login.ts
 */
import crypto from 'node:crypto';
import smCrypto from 'sm-crypto';
import { hashPassword, sm2Encrypt } from '../packages/server/src/core/crypto/sm.js';
import { startHarness } from '../packages/server/src/test/harness.js';
import { backends } from '../packages/server/src/test/backends.js';

const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

console.log('KDF: PBKDF2-HMAC-SM3 (OpenSSL) vs one HMAC-SM3 in pure JS (sm-crypto)');
for (const it of [10_000, 50_000, 100_000]) {
  const t = process.hrtime.bigint();
  for (let i = 0; i < 5; i++) hashPassword('Chongzhou@2026', it);
  console.log(`  ${String(it).padStart(7)} iterations: ${(ms(t) / 5).toFixed(1)} ms per hash`);
}
{
  const key = crypto.randomBytes(32).toString('hex');
  const n = 2000;
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) smCrypto.sm3('x', { key, mode: 'hmac' });
  const per = ms(t) / n;
  console.log(`  sm-crypto HMAC-SM3: ${(per * 1000).toFixed(1)} µs each → 50,000 iterations would take ${(per * 50_000).toFixed(0)} ms`);
}

for (const backend of backends) {
  const h = await startHarness(backend, { DEMO_DATA: 'true', PASSWORD_KDF_ITERATIONS: '50000' });
  const { publicKey } = (await h.call('GET', '/api/auth/public-key')).json();
  const times: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t = process.hrtime.bigint();
    const r = await h.call('POST', '/api/auth/login', { body: { username: 'city_op', password: sm2Encrypt('Chongzhou@2026', publicKey), encrypted: true } });
    if (r.statusCode !== 200) throw new Error(r.body);
    times.push(ms(t));
  }
  const token = await h.login('city_op', 'Chongzhou@2026');
  const me: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = process.hrtime.bigint();
    await h.call('GET', '/api/auth/me', { token });
    me.push(ms(t));
  }
  console.log(`${backend}: login (SM2 + KDF 50k + session + oplog) p50 ${pct(times, 0.5).toFixed(1)} ms, p95 ${pct(times, 0.95).toFixed(1)} ms; GET /api/auth/me p50 ${pct(me, 0.5).toFixed(2)} ms, p95 ${pct(me, 0.95).toFixed(2)} ms`);
  await h.dispose();
}
