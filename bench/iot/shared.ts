/**
 * What bench/iot's parent and its load-client processes agree on: the bench product's thing model,
 * device keys and secrets (derived, so that 300,000 credentials need not travel over IPC), the
 * messages between them, and a mergeable latency histogram.
 */
import crypto from 'node:crypto';
import type { SignMethod, ThingModel } from '@cityops/contracts';
import { sampleValue } from '../../packages/server/src/modules/iot/simulator/values.js';

export const GAS_PRODUCT_KEY = 'bench_gas';

/** A gas detector (燃气报警器) much like the demo's: four numbers and a valve, five history rows per report. */
export const GAS_MODEL: ThingModel = {
  properties: [
    { identifier: 'gas_concentration', name: '燃气浓度', dataType: { type: 'float', specs: { min: 0, max: 100, unit: '%LEL', unitName: '爆炸下限百分比' } }, accessMode: 'r', required: false, description: '' },
    { identifier: 'temperature', name: '温度', dataType: { type: 'float', specs: { min: -40, max: 85, unit: '°C' } }, accessMode: 'r', required: false, description: '' },
    { identifier: 'battery', name: '电量', dataType: { type: 'int', specs: { min: 0, max: 100, unit: '%' } }, accessMode: 'r', required: false, description: '' },
    { identifier: 'signal', name: '信号强度', dataType: { type: 'int', specs: { min: -120, max: 0, unit: 'dBm' } }, accessMode: 'r', required: false, description: '' },
    { identifier: 'valve', name: '切断阀', dataType: { type: 'bool', specs: { enum: { 0: '开', 1: '关' } } }, accessMode: 'rw', required: false, description: '' },
  ],
  events: [],
  services: [],
};
export const GAS_PROPERTY = 'gas_concentration';
/** The built-in rule model 燃气浓度超限 fires at ≥ 20 %LEL; ordinary reports stay under 10. */
export const GAS_THRESHOLD = 20;
export const ALARM_VALUE = 35;

/** An ordinary report: every property within its range, the gas reading well under the threshold. */
export const ordinaryReport = (): Record<string, unknown> => ({
  ...Object.fromEntries(GAS_MODEL.properties.map((p) => [p.identifier, sampleValue(p.dataType)])),
  [GAS_PROPERTY]: Math.round(Math.random() * GAS_THRESHOLD * 50) / 100,
});

export const deviceKey = (i: number) => `d${String(i).padStart(6, '0')}`;

/** 一机一密: each device's secret, derived from the run's seed. */
export const deviceSecret = (seed: string, i: number) => crypto.createHmac('sha256', seed).update(deviceKey(i)).digest('hex').slice(0, 32);

export interface Target {
  host: string;
  port: number;
}

export type ToClient =
  | {
      type: 'connect';
      targets: Target[];
      localAddress: string;
      /** Devices first … first + count − 1; device i goes to targets[i % targets.length]. */
      first: number;
      count: number;
      productKey: string;
      /** 'product': every device signs with `productSecret` (一型一密); 'device': its own secret (一机一密); 'none': Mosquitto. */
      auth: 'device' | 'product' | 'none';
      productSecret?: string;
      seed: string;
      signMethod: SignMethod;
      keepalive: number;
      concurrency: number;
      /** Rounds of new attempts for devices whose attempt failed (timeout, reset), 5–10 s apart. */
      retries: number;
      /** No CONNACK within this many ms: the attempt failed. */
      connectTimeoutMs: number;
    }
  /** Open-loop QoS 1 property reports at this many per second, spread over the connected devices. */
  | { type: 'rate'; perSecond: number; maxInflight: number }
  /** One over-threshold report from each of these devices, `perSecond` of them per second. */
  | { type: 'alarms'; devices: number[]; perSecond: number; property: string; value: number }
  /** Subscribes one extra connection to `topic` and counts what arrives (the Mosquitto baseline's consumer). */
  | { type: 'subscribe'; target: Target; topic: string; localAddress: string }
  | { type: 'close' };

export interface ClientStats {
  connected: number;
  refused: number;
  /** Attempts that failed (timeout, reset); the device tries again up to `retries` times. */
  errors: number;
  /** Connections lost after their CONNACK. */
  dropped: number;
  pings: number;
  pongs: number;
  /** Since the process started (the parent takes differences between snapshots): */
  sent: number;
  acked: number;
  failed: number;
  /** Offered by the rate but not sent (in-flight cap reached). */
  skipped: number;
  received: number;
  inflight: number;
  hist: number[];
  /** The first error messages, to print. */
  errorSamples: string[];
  /** Seconds of CPU (user + system) since the process started. */
  cpu: number;
  rss: number;
  /** Date.now() when these figures were taken. */
  at: number;
}

export type FromClient =
  | { type: 'stats'; stats: ClientStats }
  | { type: 'connected'; stats: ClientStats }
  | { type: 'alarm-sent'; sent: { device: number; at: number }[] }
  | { type: 'ready' };

/** Latencies in buckets 5 % wide (bucket b ≈ 1.05^b − 1 ms): small, mergeable across processes. */
export const histBucket = (ms: number) => Math.min(400, Math.max(0, Math.ceil(Math.log(ms + 1) / Math.log(1.05))));
export const bucketMs = (b: number) => Math.pow(1.05, b) - 1;
export const newHist = () => new Array<number>(401).fill(0);

export function mergeHist(into: number[], h: number[]) {
  for (let i = 0; i < h.length; i++) into[i] += h[i];
  return into;
}

export function histPercentile(h: number[], p: number) {
  const total = h.reduce((a, b) => a + b, 0);
  if (!total) return NaN;
  let seen = 0;
  for (let i = 0; i < h.length; i++) {
    seen += h[i];
    if (seen >= total * p) return bucketMs(i);
  }
  return bucketMs(h.length - 1);
}
