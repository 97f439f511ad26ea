import type { z } from 'zod';
import {
  compareVersions,
  OTA_DEVICE_STATUSES,
  type IotOtaDeviceQuery,
  type IotOtaRetry,
  type IotOtaTask,
  type IotOtaTaskCreate,
  type IotOtaTaskQuery,
  type OtaDeviceStatus,
} from '@cityops/contracts';
import type { Db } from '../../core/db.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import { isUuid } from '../../core/ids.js';
import type { Principal } from '../../core/principal.js';
import { downTopics, type DownLink } from './down-link.js';
import type { FirmwareLinks } from './ota-link.js';
import { OPEN_DEVICE_STATUSES, otaRepository, type FirmwareRow, type OtaRepository } from './ota.repository.js';
import type { AcceptedMessage, DeviceDirectory, DeviceLink, DeviceRef } from './ports.js';

type TaskRow = NonNullable<Awaited<ReturnType<OtaRepository['task']>>>;

const emptyCounts = (): IotOtaTask['counts'] => ({ total: 0, pending: 0, pushed: 0, upgrading: 0, succeeded: 0, failed: 0, cancelled: 0 });

/**
 * 升级任务: a task takes devices of the firmware's product, pushes `/ota/{pk}/{dk}/upgrade` to
 * those online (the rest when they connect), and follows each device through its progress reports
 * and version inform until none is left in progress.
 */
export function otaService(d: { db: Db; directory: DeviceDirectory; link: DeviceLink; down: DownLink; links: FirmwareLinks }) {
  const repo = otaRepository(d.db);

  async function describe(rows: TaskRow[]): Promise<IotOtaTask[]> {
    const counts = new Map<string, IotOtaTask['counts']>();
    for (const c of await repo.counts(rows.map((r) => r.task.id))) {
      const k = counts.get(c.taskId) ?? emptyCounts();
      if ((OTA_DEVICE_STATUSES as readonly string[]).includes(c.status)) k[c.status as OtaDeviceStatus] += c.n;
      k.total += c.n;
      counts.set(c.taskId, k);
    }
    return rows.map(({ task: t, firmwareName, version, productId, productName }) => ({
      id: t.id, name: t.name, status: t.status as IotOtaTask['status'], firmwareId: t.firmwareId,
      firmwareName: firmwareName ?? '（固件已删除）', version: version ?? '', productId: productId ?? '', productName: productName ?? '',
      counts: counts.get(t.id) ?? emptyCounts(), createdByName: t.createdByName, createdAt: t.createdAt.toISOString(), finishedAt: t.finishedAt?.toISOString() ?? null,
    }));
  }

  async function taskOf(id: string) {
    const row = isUuid(id) ? await repo.task(id) : undefined;
    if (!row) throw new NotFound('升级任务不存在');
    return row;
  }
  const get = async (id: string) => (await describe([await taskOf(id)]))[0]!;

  /** Sends the upgrade message to devices whose rows it claims (pending → pushed); unreachable ones go back to pending. */
  async function push(taskId: string, firmware: Pick<FirmwareRow, 'id' | 'version' | 'size' | 'sign' | 'signMethod'>, devices: DeviceRef[]) {
    const byId = new Map(devices.map((x) => [x.id, x]));
    for (const { deviceId, msgId } of await repo.claimPush(taskId, [...byId.keys()])) {
      const device = byId.get(deviceId)!;
      const problem = await d.down.send(device, 'ota', downTopics.otaUpgrade(device), {
        id: msgId,
        params: { version: firmware.version, url: d.links.url(firmware.id, device.id), size: firmware.size, sign: firmware.sign, signMethod: firmware.signMethod },
      });
      if (problem) await repo.setDevice(taskId, deviceId, ['pushed'], { status: 'pending', message: `${problem}，待设备重新上线后推送` });
    }
  }

  /** The task's pending devices that are reachable now. */
  async function pushOnline(taskId: string, firmware: FirmwareRow) {
    const refs = await Promise.all((await repo.pendingOnline(taskId)).map((id) => d.directory.deviceById(id)));
    const online: DeviceRef[] = [];
    for (const ref of refs) if (ref && (await d.link.isOnline(ref))) online.push(ref);
    await push(taskId, firmware, online);
  }

  async function firmwareOf(id: string) {
    const f = await repo.firmwareById(id);
    if (!f) throw new Conflict('升级任务的固件已删除');
    return f.firmware;
  }

  /** After a device row moved on: the task may be over. */
  const settle = (taskId: string) => repo.finishIfDone(taskId);

  return {
    async list(q: z.infer<typeof IotOtaTaskQuery>) {
      const { items, total } = await repo.taskPage(q);
      return { items: await describe(items), total, page: q.page, pageSize: q.pageSize };
    },

    get,

    async devices(id: string, q: z.infer<typeof IotOtaDeviceQuery>) {
      await taskOf(id);
      const { items, total } = await repo.devicePage(id, q);
      return {
        items: items.map(({ row: r, deviceKey, deviceName, currentVersion }) => ({
          deviceId: r.deviceId, deviceKey, deviceName, status: r.status as OtaDeviceStatus, progress: r.progress,
          fromVersion: r.fromVersion, currentVersion, message: r.message, updatedAt: r.updatedAt.toISOString(),
        })),
        total, page: q.page, pageSize: q.pageSize,
      };
    },

    /** Creates the task with one row per device, then pushes to the devices online now. */
    async create(user: Principal, body: z.infer<typeof IotOtaTaskCreate>) {
      const f = await repo.firmwareById(body.firmwareId);
      if (!f) throw new Invalid('固件不存在', { fields: { firmwareId: '固件不存在' } });
      const firmware = f.firmware;
      let devices = await repo.productDevices(firmware.productId, body.target === 'devices' ? [...new Set(body.deviceIds)] : undefined);
      if (body.target === 'devices' && devices.length < new Set(body.deviceIds).size) {
        throw new Invalid(`所选设备中有不属于产品“${f.productName}”、已注销或已禁用的设备`, { fields: { deviceIds: '所选设备不能升级' } });
      }
      if (body.target === 'below') {
        const below = body.belowVersion ?? firmware.version;
        devices = devices.filter((x) => !x.firmwareVersion || compareVersions(x.firmwareVersion, below) < 0);
      }
      const busy = await repo.busyDevices(firmware.productId);
      devices = devices.filter((x) => !busy.has(x.id));
      if (!devices.length) throw new Invalid('没有需要升级的设备（设备已是目标版本范围之外，或正在其他任务中升级）');

      const task = await d.db.transaction((tx) =>
        otaRepository(tx).insertTask(
          { firmwareId: firmware.id, name: body.name, createdBy: user.id, createdByName: user.name },
          devices.map((x) => ({ deviceId: x.id, fromVersion: x.firmwareVersion })),
        ),
      );
      await pushOnline(task.id, firmware);
      return get(task.id);
    },

    /** Stops the task: devices not done yet are cancelled and no longer pushed. */
    async cancel(id: string) {
      const t = await taskOf(id);
      if (t.task.status !== 'running') throw new Conflict('只能取消进行中的升级任务');
      await d.db.transaction(async (tx) => {
        const r = otaRepository(tx);
        if (!(await r.setTask(id, ['running'], { status: 'cancelled', finishedAt: new Date() }))) throw new Conflict('只能取消进行中的升级任务');
        await r.setDevices(id, OPEN_DEVICE_STATUSES, { status: 'cancelled', message: '任务已取消' });
      });
      return get(id);
    },

    /** Failed devices (all, or those named) start again: pushed now when online, else on connect. */
    async retry(id: string, body: z.infer<typeof IotOtaRetry>) {
      const t = await taskOf(id);
      if (t.task.status === 'cancelled') throw new Conflict('任务已取消，不能重试');
      const firmware = await firmwareOf(t.task.firmwareId);
      const n = await d.db.transaction(async (tx) => {
        const r = otaRepository(tx);
        const moved = await r.setDevices(id, ['failed'], { status: 'pending', progress: 0, message: null, msgId: null }, body.deviceIds);
        if (moved) await r.setTask(id, ['running', 'finished'], { status: 'running', finishedAt: null });
        return moved;
      });
      if (!n) throw new Conflict('没有可重试的升级失败设备');
      await pushOnline(id, firmware);
      return get(id);
    },

    /** A device connected: upgrades waiting for it go out. */
    async onOnline(device: DeviceRef) {
      for (const taskId of await repo.pendingTasksOf(device.id)) {
        const t = await repo.task(taskId);
        const firmware = t && (await repo.firmwareById(t.task.firmwareId));
        if (firmware) await push(taskId, firmware.firmware, [device]);
      }
    },

    /** Pushes to pending devices online now whose connect this node did not see (broker nodes, restarts). */
    async pushPending() {
      for (const taskId of await repo.tasksWithPendingOnline()) {
        const t = await repo.task(taskId);
        const firmware = t && (await repo.firmwareById(t.task.firmwareId));
        if (firmware) await pushOnline(taskId, firmware.firmware);
      }
    },

    /** `/ota/{pk}/{dk}/progress`: step 0..99 upgrading, 100 done, negative failed (with the device's description). */
    async onProgress(m: Extract<AcceptedMessage, { kind: 'ota-progress' }>) {
      const active = await repo.activeOf(m.device.id);
      if (!active) return;
      const desc = m.desc?.slice(0, 200) || null;
      const set =
        m.step < 0
          ? { status: 'failed', message: desc ?? `设备报告升级失败（${m.step}）` }
          : m.step >= 100
            ? { status: 'succeeded', progress: 100, message: desc }
            : { status: 'upgrading', progress: Math.trunc(m.step), message: desc };
      if (await repo.setDevice(active.taskId, m.device.id, ['pushed', 'upgrading'], set)) await settle(active.taskId);
    },

    /** `/ota/{pk}/{dk}/inform`: reaching the task's version completes the device's upgrade. */
    async onInform(m: Extract<AcceptedMessage, { kind: 'ota-inform' }>) {
      // Ingest has stored the version on the device already; here only the upgrade is settled.
      // A pending device may already run the target (upgraded by hand): nothing left to push.
      const active = await repo.activeOf(m.device.id, OPEN_DEVICE_STATUSES);
      if (!active || compareVersions(m.version, active.version) !== 0) return;
      if (await repo.setDevice(active.taskId, m.device.id, OPEN_DEVICE_STATUSES, { status: 'succeeded', progress: 100 })) await settle(active.taskId);
    },
  };
}
export type OtaService = ReturnType<typeof otaService>;
