import type { FastifyInstance } from 'fastify';
import type { Cache } from '../../core/cache.js';
import type { Config } from '../../core/config.js';
import type { Database } from '../../core/db.js';
import type { FieldCipher } from '../../core/crypto/field.js';

/** What the IoT platform is built from (app.ts provides it). */
export interface IotDeps {
  config: Config;
  database: Database;
  cache: Cache;
  fields: FieldCipher;
}

/**
 * Registers the IoT platform (物联感知): the device directory and ingest pipeline, the brokers and
 * device-facing endpoints, down-link and OTA, the rule engine, and the third-party API.
 */
export async function registerIotModule(app: FastifyInstance, d: IotDeps) {
  // [directory + ingest + product/device/telemetry/trace/overview routes]
  // [device auth + brokers + HTTP/CoAP access + connection routes]
  // [commands + OTA]
  // [rules + alarms]
  // [API keys + open API]
  void app;
  void d;
}
