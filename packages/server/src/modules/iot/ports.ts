import type { ThingModel } from '@cityops/contracts';

/**
 * The seams between the IoT platform's parts: the device directory (products and devices, cached),
 * the ingest pipeline every channel feeds, and the link to connected devices that down-link uses.
 */

/** A device as the connection and ingest paths see it (cached; invalidated when the device changes). */
export interface DeviceRef {
  id: string;
  productId: string;
  productKey: string;
  deviceKey: string;
  name: string;
  status: 'inactive' | 'online' | 'offline' | 'disabled';
  deregistered: boolean;
  testMode: boolean;
  orgId: string | null;
  regionCode: string | null;
  lng: number | null;
  lat: number | null;
  address: string | null;
  gatewayId: string | null;
  allowedAddresses: string[];
}

/** A product as the connection and ingest paths see it. */
export interface ProductRef {
  id: string;
  productKey: string;
  name: string;
  category: string;
  nodeType: 'direct' | 'gateway' | 'sub';
  /** How its devices connect: only MQTT devices (and gateways) hold a connection down-link can use. */
  protocol: 'mqtt' | 'http' | 'coap' | 'gateway';
  authMode: 'device_secret' | 'product_secret';
  dynamicRegister: boolean;
  whitelist: string[];
  thingModel: ThingModel;
  modelVersion: number;
  offlineSeconds: number;
  eventTypeCode: string | null;
  enabled: boolean;
}

export interface DeviceDirectory {
  product(productKey: string): Promise<ProductRef | undefined>;
  productById(id: string): Promise<ProductRef | undefined>;
  device(productKey: string, deviceKey: string): Promise<DeviceRef | undefined>;
  deviceById(id: string): Promise<DeviceRef | undefined>;
  /** Clear-text secret for signature checks (device secret or, for product_secret products, the product's). */
  secretOf(device: DeviceRef | { productKey: string }, mode: 'device' | 'product'): Promise<string | undefined>;
  /** 一型一密 with dynamic registration: registers an unknown device on first connect. */
  register(product: ProductRef, deviceKey: string): Promise<DeviceRef>;
  /** Drops cached rows after a change (any node: through the cache's version). */
  invalidate(deviceId?: string): Promise<void>;
}

export type Channel = 'mqtt' | 'http' | 'coap' | 'gateway' | 'broker';

/** One message from a device, as any channel received it. */
export interface UpMessage {
  device: DeviceRef;
  channel: Channel;
  topic: string;
  payload: Buffer | string;
  /** Date.now() when the channel received it. */
  receivedAt: number;
  clientIp?: string;
}

export interface IngestResult {
  ok: boolean;
  /** The message's `id` field, echoed in replies. */
  msgId?: string;
  /** 200 accepted, 400 refused (thing model, format), 404 unknown topic. */
  code: number;
  /** Chinese reason when refused. */
  message?: string;
  /** What a reply topic should carry back, if the topic has one (e.g. …/property/post_reply). */
  replyTopic?: string;
}

/** What ingest hands to the rule engine, command tracking and OTA after a message is accepted. */
export type AcceptedMessage =
  | { kind: 'property'; device: DeviceRef; values: Record<string, unknown>; ts: number }
  | { kind: 'event'; device: DeviceRef; identifier: string; level: 'info' | 'alert' | 'error'; output: Record<string, unknown>; ts: number }
  | { kind: 'reply'; device: DeviceRef; msgId: string; code: number; data: Record<string, unknown>; ts: number }
  | { kind: 'ota-progress'; device: DeviceRef; msgId?: string; step: number; desc?: string; ts: number }
  | { kind: 'ota-inform'; device: DeviceRef; version: string; ts: number };

export interface Ingest {
  accept(up: UpMessage): Promise<IngestResult>;
  /** Called after each accepted message (after its writes are committed). */
  onAccepted(listener: (m: AcceptedMessage) => void | Promise<void>): void;
  /** A trace row for something that is not a report (connect, disconnect, denied, down-link). */
  trace(row: TraceRow): void;
  /** Marks devices online/offline (connect/disconnect of a persistent connection this node holds). */
  presence(device: DeviceRef, online: boolean, o?: { ip?: string; channel?: Channel }): Promise<void>;
  /**
   * Called after `presence` recorded a change, on the node that saw it: queued commands and pending
   * OTA upgrades go out when their device connects.
   */
  onPresence?(listener: (device: DeviceRef, online: boolean) => void | Promise<void>): void;
  /** Commits what is queued (tests and shutdown). */
  flush(): Promise<void>;
}

export interface TraceRow {
  deviceId?: string | null;
  productKey?: string | null;
  deviceKey?: string | null;
  direction: 'up' | 'down';
  channel: Channel;
  kind: 'connect' | 'disconnect' | 'property' | 'event' | 'reply' | 'command' | 'ota' | 'other';
  topic?: string;
  payload?: string;
  result: 'ok' | 'rejected' | 'denied' | 'error' | 'timeout' | 'replied';
  reason?: string | null;
  latencyMs?: number | null;
  msgId?: string | null;
  clientIp?: string | null;
  ts?: Date;
}

/** The way to a connected device, whichever broker holds it. */
export interface DeviceLink {
  publish(device: DeviceRef, topic: string, payload: Record<string, unknown>, qos?: 0 | 1): Promise<void>;
  isOnline(device: DeviceRef): Promise<boolean>;
}
