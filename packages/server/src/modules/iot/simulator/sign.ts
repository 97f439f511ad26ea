import type { SignMethod } from '@cityops/contracts';
import { signLogin } from '../device-auth.service.js';

/**
 * A simulated device's MQTT login, signed the way device-auth checks it: username
 * `{deviceKey}&{productKey}`, password `{signMethod}:{timestamp}:{hexSign}`. The secret is the
 * device secret (一机一密) or the product secret (一型一密).
 */
export interface DeviceCredentials {
  productKey: string;
  deviceKey: string;
  secret: string;
}

/** The MQTT CONNECT fields of a device; `timestamp: ''` gives the static password an external broker is provisioned with. */
export function mqttLogin(d: DeviceCredentials, o: { signMethod?: SignMethod; timestamp?: string } = {}) {
  const method = o.signMethod ?? 'hmacsm3';
  const timestamp = o.timestamp ?? String(Date.now());
  return {
    clientId: `${d.productKey}.${d.deviceKey}`,
    username: `${d.deviceKey}&${d.productKey}`,
    password: `${method}:${timestamp}:${signLogin(d.secret, method, d.productKey, d.deviceKey, timestamp)}`,
  };
}

/** The topic of a property report. */
export const propertyPostTopic = (productKey: string, deviceKey: string) => `/sys/${productKey}/${deviceKey}/thing/property/post`;
