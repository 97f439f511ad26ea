import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { freePort } from './iot-devices.js';

/**
 * The port a test broker listens on. One run failed with "Invalid header flag bits, must be 0x0
 * for puback packet": the port came from `listen(0)`, was free again until the broker bound it
 * seconds later, and an HTTP server of another process had taken it meanwhile.
 */
describe('test ports', () => {
  it('an MQTT client reaching an HTTP server fails just so', async () => {
    const server = http.createServer((_req, res) => res.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const err = await mqtt
        .connectAsync(`mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000 })
        .then((c) => (c.end(true), undefined), (e: Error) => e);
      expect(err?.message).toBe('Invalid header flag bits, must be 0x0 for puback packet');
    } finally {
      server.close();
    }
  });

  it('are never ones the system hands out by itself (listen(0), outgoing connections)', async () => {
    const range = fs.existsSync('/proc/sys/net/ipv4/ip_local_port_range')
      ? Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0])
      : 32768;
    for (const kind of ['tcp', 'udp'] as const) {
      for (let i = 0; i < 20; i++) {
        const port = await freePort(kind);
        expect(port).toBeGreaterThanOrEqual(20_000);
        expect(port).toBeLessThan(range);
      }
    }
  });
});
