import { loadConfig } from './core/config.js';
import { startBrokerNode } from './modules/iot/broker-node.js';

/**
 * A broker-only process of the IoT platform: the embedded MQTT broker with ingest and rules, no
 * HTTP (see modules/iot/broker-node.ts). Configured like the application (DATABASE_URL,
 * IOT_MQTT_PORT, IOT_MQTT_HOST, REDIS_URL…).
 */
const config = loadConfig();
const node = await startBrokerNode(config);
const status = node.connectivity.status();
if (status.mqtt.state !== 'listening') {
  node.log.error(`the MQTT port could not be opened: ${status.mqtt.error ?? 'IOT_MQTT_PORT is 0'}`);
  await node.close();
  process.exit(1);
}
node.log.info(`CityOps IoT broker node ${node.connectivity.nodeId} on ${status.mqtt.host}:${status.mqtt.port}`);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => process.exit(1), 15_000);
    timer.unref();
    try {
      await node.close();
      process.exit(0);
    } catch (err) {
      node.log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  });
}
