import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { z } from 'zod';
import { FIRMWARE_EXTENSIONS, fileExtension, type IotFirmware, type IotFirmwareCreate, type IotFirmwareQuery } from '@cityops/contracts';
import type { DbOrTx } from '../../core/db.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../core/errors.js';
import { isUuid } from '../../core/ids.js';
import type { Principal } from '../../core/principal.js';
import type { AllowedType } from '../files/file-types.js';
import type { FileService } from '../files/file.service.js';
import type { DownLink } from './down-link.js';
import type { FirmwareLinks } from './ota-link.js';
import { otaRepository, type FirmwareRow } from './ota.repository.js';
import type { DeviceDirectory } from './ports.js';

/** Firmware is opaque bytes: any content, served only as a download. */
const firmwareType = (name: string): AllowedType | undefined => {
  const ext = fileExtension(name);
  return (FIRMWARE_EXTENSIONS as readonly string[]).includes(ext) ? { ext, mime: 'application/octet-stream', inline: false, signatures: 'any' } : undefined;
};

async function sm3Of(stream: Readable) {
  const hash = createHash('sm3');
  await pipeline(stream, hash);
  return hash.digest('hex');
}

type Listed = { firmware: FirmwareRow; productName: string; productKey: string; runningTasks: number };

/**
 * 固件管理: packages are uploaded through the files module (their own extension list, any content),
 * signed with SM3 when registered, and downloaded by devices with a signed, expiring link.
 */
export function firmwareService(d: { db: DbOrTx; files: FileService; links: FirmwareLinks; directory: DeviceDirectory; down: DownLink }) {
  const repo = otaRepository(d.db);

  async function describe(rows: Listed[]): Promise<IotFirmware[]> {
    const files = await d.files.describe(rows.map((r) => r.firmware.fileId)).catch(() => []);
    const names = new Map(files.map((f) => [f.id, f.name]));
    return rows.map(({ firmware: f, productName, productKey, runningTasks }) => ({
      id: f.id, productId: f.productId, productName, productKey, name: f.name, version: f.version, fileId: f.fileId,
      fileName: names.get(f.fileId) ?? '', size: f.size, sign: f.sign, signMethod: f.signMethod, description: f.description,
      runningTasks, createdAt: f.createdAt.toISOString(),
    }));
  }

  async function byId(id: string) {
    const row = isUuid(id) ? await repo.firmwareById(id) : undefined;
    if (!row) throw new NotFound('固件不存在');
    return row;
  }

  return {
    async list(q: z.infer<typeof IotFirmwareQuery>) {
      const { items, total } = await repo.firmwarePage(q);
      return { items: await describe(items), total, page: q.page, pageSize: q.pageSize };
    },

    async get(id: string) {
      return (await describe([await byId(id)]))[0]!;
    },

    /** A firmware package upload; refuses extensions that are not firmware. */
    upload(user: Principal, input: { name: string; stream: Readable }) {
      if (!firmwareType(input.name)) {
        input.stream.resume();
        throw new Invalid(`不支持的固件包类型，允许的扩展名：${FIRMWARE_EXTENSIONS.join('、')}`);
      }
      return d.files.upload(user, input, firmwareType);
    },

    /** Registers an uploaded package as a version of a product, with its size and SM3 signature. */
    async create(body: z.infer<typeof IotFirmwareCreate>) {
      const product = await d.directory.productById(body.productId);
      if (!product) throw new Invalid('产品不存在', { fields: { productId: '产品不存在' } });
      if (await repo.firmwareByVersion(body.productId, body.version)) {
        throw new Conflict(`产品“${product.name}”已有版本 ${body.version} 的固件`, { fields: { version: '该版本的固件已存在' } });
      }
      const [file] = await d.files.describe([body.fileId]).catch(() => {
        throw new Invalid('固件文件不存在，请重新上传', { fields: { fileId: '固件文件不存在，请重新上传' } });
      });
      const sign = await sm3Of((await d.files.open(file!.id)).stream);
      const row = await repo.insertFirmware({
        productId: body.productId, name: body.name, version: body.version, fileId: file!.id, size: file!.size, sign, signMethod: 'SM3', description: body.description,
      });
      return this.get(row.id);
    },

    async remove(id: string) {
      const f = await byId(id);
      if (!(await repo.deleteFirmware(f.firmware.id))) throw new Conflict('有进行中的升级任务使用该固件，不能删除');
      return f.firmware;
    },

    /** The package for a device holding a valid link (Range allowed, so a download can resume). */
    async download(id: string, token: string, range: string | undefined, clientIp?: string) {
      if (!isUuid(id)) throw new NotFound('固件不存在');
      const checked = d.links.verify(id, token);
      if ('refused' in checked) throw new Forbidden(checked.refused === 'expired' ? '下载链接已过期，请重新发起升级' : '下载链接无效', 'OTA_LINK_REFUSED');
      const f = await byId(id);
      const opened = await d.files.open(f.firmware.fileId, range);
      const device = await d.directory.deviceById(checked.deviceId);
      if (device) {
        d.down.trace(device, {
          kind: 'ota', channel: 'http', topic: `/api/iot/ota/firmware/${id}/download`, payload: '', result: 'ok', clientIp: clientIp ?? null,
          reason: `下载固件 ${f.firmware.version}${range ? `（${range}）` : ''}`,
        });
      }
      return { ...opened, name: `${f.productKey}-${f.firmware.version}.${fileExtension(opened.file.name) || 'bin'}` };
    },
  };
}
export type FirmwareService = ReturnType<typeof firmwareService>;
