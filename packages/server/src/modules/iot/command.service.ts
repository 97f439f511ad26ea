import type { z } from 'zod';
import {
  IOT_COMMAND_MAX_WAIT_SECONDS,
  describeProblems,
  validateProperties,
  validateServiceInput,
  type IotCommand,
  type IotCommandListQuery,
  type IotPropertySetBody,
  type IotServiceCallBody,
  type ValueProblem,
} from '@cityops/contracts';
import type { DbOrTx } from '../../core/db.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import { isUuid } from '../../core/ids.js';
import type { Principal } from '../../core/principal.js';
import { commandRepository, type CommandRow } from './command.repository.js';
import { downTopics, newMsgId, type DownLink } from './down-link.js';
import type { AcceptedMessage, DeviceDirectory, DeviceLink, DeviceRef, ProductRef } from './ports.js';

/** How long a command for an offline device waits for it to connect. */
const QUEUE_SECONDS = 24 * 3600;
/** A waiting caller re-reads its command this often: the reply may reach another node. */
const POLL_MS = 300;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toCommand = (r: CommandRow): IotCommand => ({
  id: r.id,
  deviceId: r.deviceId,
  kind: r.kind as IotCommand['kind'],
  identifier: r.identifier,
  params: r.params,
  msgId: r.msgId,
  status: r.status,
  replyCode: r.replyCode,
  reply: r.reply,
  reason: r.reason,
  latencyMs: r.sentAt && r.repliedAt ? Math.max(0, r.repliedAt.getTime() - r.sentAt.getTime()) : null,
  timeoutAt: r.timeoutAt.toISOString(),
  sentAt: iso(r.sentAt),
  repliedAt: iso(r.repliedAt),
  createdByName: r.createdByName,
  createdAt: r.createdAt.toISOString(),
});

/** Thing-model problems as a 400 whose fields the command dialog shows beside each parameter. */
function invalidParams(problems: ValueProblem[]) {
  const fields = Object.fromEntries(problems.map((p) => [`params.${p.path}`, p.message]));
  return new Invalid(`参数不符合物模型：${describeProblems(problems)}`, { fields });
}

/**
 * 指令下发: property sets and service calls go down with a message id; the device's reply (matched
 * by device and id, on whichever node receives it) closes the command with its code, data and
 * latency; a sweep times out what gets no reply. Commands for an offline device are queued (async
 * only) and sent when it connects.
 */
export function commandService(d: {
  db: DbOrTx;
  directory: DeviceDirectory;
  link: DeviceLink;
  down: DownLink;
  /** Seconds a sent command waits for its reply (IOT_COMMAND_TIMEOUT_SECONDS). */
  replySeconds: number;
}) {
  const repo = commandRepository(d.db);
  /** Callers waiting on this node for a command's reply, by command id. */
  const waiters = new Map<string, () => void>();
  const wake = (id: string) => waiters.get(id)?.();

  async function target(deviceId: string): Promise<{ device: DeviceRef; product: ProductRef }> {
    const device = isUuid(deviceId) ? await d.directory.deviceById(deviceId) : undefined;
    if (!device) throw new NotFound('设备不存在');
    if (device.deregistered) throw new Conflict('设备已注销，不能下发指令');
    if (device.status === 'disabled') throw new Conflict('设备已禁用，不能下发指令');
    const product = await d.directory.productById(device.productId);
    if (!product) throw new NotFound('设备所属产品不存在');
    // HTTP and CoAP devices only ever call the platform, and sub-devices are reached through their gateway: a
    // command would wait for a connection that never comes.
    if (product.nodeType === 'sub') throw new Conflict('子设备经网关接入，不支持直接下发指令');
    if (product.protocol === 'http' || product.protocol === 'coap') {
      throw new Conflict(`该设备通过 ${product.protocol.toUpperCase()} 上报数据，平台无法向其下发指令`);
    }
    return { device, product };
  }

  const topicOf = (device: DeviceRef, row: Pick<CommandRow, 'kind' | 'identifier'>) =>
    row.kind === 'service' ? downTopics.service(device, row.identifier) : downTopics.propertySet(device);

  /** Publishes a sent command; a device that cannot be reached fails it at once. */
  async function deliver(device: DeviceRef, row: CommandRow) {
    const method = row.kind === 'service' ? `thing.service.${row.identifier}` : 'thing.service.property.set';
    const problem = await d.down.send(device, 'command', topicOf(device, row), { id: row.msgId, version: '1.0', method, params: row.params });
    if (problem) await repo.fail(row.id, problem);
  }

  /** Waits until the command is answered or its wait is over (then it is timed out here and now). */
  async function waitForReply(row: CommandRow, seconds: number): Promise<CommandRow> {
    const deadline = (row.sentAt ?? row.createdAt).getTime() + seconds * 1000;
    for (let left = deadline - Date.now(); left > 0; left = deadline - Date.now()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, POLL_MS));
        waiters.set(row.id, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      waiters.delete(row.id);
      const now = await repo.byId(row.id);
      if (now && now.status !== 'sent') return now;
    }
    await expire(new Date(deadline), [row.id]);
    return (await repo.byId(row.id))!;
  }

  async function expire(now: Date, ids?: string[]) {
    const rows = await repo.expire(now, ids);
    for (const r of rows) {
      const device = await d.directory.deviceById(r.deviceId);
      if (device) d.down.trace(device, { kind: 'command', topic: topicOf(device, r), result: 'timeout', reason: r.reason, msgId: r.msgId });
      wake(r.id);
    }
    return rows.length;
  }

  async function issue(
    user: Principal,
    device: DeviceRef,
    c: { kind: 'property_set' | 'service'; identifier: string; params: Record<string, unknown>; sync: boolean; wait: number },
  ): Promise<IotCommand> {
    const online = await d.link.isOnline(device);
    if (!online && c.sync) throw new Conflict('设备离线，无法同步下发，请待设备上线后重试');
    const now = new Date();
    const replySeconds = c.wait > 0 ? c.wait : d.replySeconds;
    // The row exists before the message leaves: a fast reply always finds it.
    const row = await repo.insert({
      deviceId: device.id,
      kind: c.kind,
      identifier: c.identifier,
      params: c.params,
      msgId: newMsgId(),
      status: online ? 'sent' : 'queued',
      sentAt: online ? now : null,
      timeoutAt: new Date(now.getTime() + (online ? replySeconds : QUEUE_SECONDS) * 1000),
      createdBy: user.id,
      createdByName: user.name,
      createdAt: now,
    });
    if (!online) return toCommand(row);
    await deliver(device, row);
    if (c.wait > 0) return toCommand(await waitForReply(row, c.wait));
    return toCommand((await repo.byId(row.id))!);
  }

  return {
    /** 属性设置: writable properties only, each within its type. */
    async setProperties(user: Principal, deviceId: string, body: z.infer<typeof IotPropertySetBody>) {
      const { device, product } = await target(deviceId);
      const check = validateProperties(product.thingModel, body.params, { writableOnly: true });
      if (!check.ok) throw invalidParams(check.problems);
      return issue(user, device, { kind: 'property_set', identifier: '', params: check.value, sync: body.wait > 0, wait: body.wait });
    },

    /** 服务调用: a sync service waits for its reply (and needs the device online); an async one only when asked. */
    async callService(user: Principal, deviceId: string, identifier: string, body: z.infer<typeof IotServiceCallBody>) {
      const { device, product } = await target(deviceId);
      const check = validateServiceInput(product.thingModel, identifier, body.params);
      if (!check.service) throw new NotFound(`产品“${product.name}”的物模型中没有服务 ${identifier}`);
      if (!check.ok) throw invalidParams(check.problems);
      const sync = check.service.callType === 'sync';
      const wait = body.wait ?? (sync ? Math.min(d.replySeconds, IOT_COMMAND_MAX_WAIT_SECONDS) : 0);
      return issue(user, device, { kind: 'service', identifier, params: check.value, sync: sync || wait > 0, wait });
    },

    async list(deviceId: string, q: z.infer<typeof IotCommandListQuery>) {
      if (!isUuid(deviceId) || !(await d.directory.deviceById(deviceId))) throw new NotFound('设备不存在');
      const { items, total } = await repo.page(deviceId, q);
      return { items: items.map(toCommand), total, page: q.page, pageSize: q.pageSize };
    },

    /** 名称（标识） of a device for the operation log. */
    async deviceLabel(deviceId: string) {
      const device = isUuid(deviceId) ? await d.directory.deviceById(deviceId) : undefined;
      return device ? `${device.name}（${device.deviceKey}）` : deviceId;
    },

    async get(id: string) {
      const row = isUuid(id) ? await repo.byId(id) : undefined;
      if (!row) throw new NotFound('指令不存在');
      return toCommand(row);
    },

    /** A set/service reply from ingest: closes the command it answers (if any is still open). */
    async onReply(m: Extract<AcceptedMessage, { kind: 'reply' }>) {
      const message = typeof m.data.message === 'string' ? m.data.message.slice(0, 200) : '';
      const reason = m.code === 200 ? null : `设备返回错误码 ${m.code}${message ? `：${message}` : ''}`;
      const row = await repo.reply(m.device.id, m.msgId, { code: m.code, data: m.data, at: new Date(), reason });
      if (!row) return;
      const cmd = toCommand(row);
      d.down.trace(m.device, { kind: 'command', topic: topicOf(m.device, row), result: m.code === 200 ? 'replied' : 'error', reason, latencyMs: cmd.latencyMs, msgId: m.msgId });
      wake(row.id);
    },

    /** A device came online: what was queued for it goes out now. */
    async onOnline(device: DeviceRef) {
      const now = new Date();
      const rows = await repo.claimQueued(device.id, now, new Date(now.getTime() + d.replySeconds * 1000));
      for (const row of rows) await deliver(device, row);
    },

    /** Times out every open command past its deadline; returns how many. */
    sweep: (now = new Date()) => expire(now),


    /** Sends what is queued for devices online now whose connect this node did not see (broker nodes, restarts). */
    async deliverQueued() {
      for (const id of await repo.queuedOnline()) {
        const device = await d.directory.deviceById(id);
        if (device && (await d.link.isOnline(device))) await this.onOnline(device);
      }
    },
  };
}
export type CommandService = ReturnType<typeof commandService>;
