import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Config } from '../../core/config.js';
import type { Database } from '../../core/db.js';
import type { FileService } from '../files/file.service.js';
import { commandRoutes } from './command.routes.js';
import { commandService } from './command.service.js';
import { downLink } from './down-link.js';
import { firmwareService } from './firmware.service.js';
import { firmwareLinks, loadLinkKey } from './ota-link.js';
import { otaRoutes } from './ota.routes.js';
import { otaService } from './ota.service.js';
import type { DeviceDirectory, DeviceLink, Ingest } from './ports.js';

export interface DownLinkDeps {
  config: Config;
  database: Database;
  directory: DeviceDirectory;
  link: DeviceLink;
  ingest: Ingest;
  log: FastifyBaseLogger;
  /** Run the timeout and catch-up sweeps here (application nodes; broker nodes leave them to those). */
  sweeps?: boolean;
}

/** Commands past their deadline time out within this. */
const TIMEOUT_SWEEP_MS = 1000;
/** Queued commands and pending upgrades of devices online without this node seeing them connect go out within this. */
const CATCH_UP_MS = 15_000;

/** Runs `fn` every `ms`, never two at once, logging failures; returns the stop function. */
function every(ms: number, name: string, log: FastifyBaseLogger, fn: () => Promise<unknown>) {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    fn()
      .catch((err: unknown) => log.error({ err }, `iot ${name} failed`))
      .finally(() => (busy = false));
  }, ms);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * The down-link side every node that runs ingest needs (API nodes and broker nodes alike): device
 * replies close commands, progress and inform reports move upgrades on, a connecting device gets
 * its queued commands and pending upgrades. With `sweeps`, open commands time out here, and what
 * waits for a device that is online (its connect seen by another node, or before these handlers
 * were listening) goes out. Returns the services and the function that stops the sweeps.
 */
export async function downLinkHandlers(d: DownLinkDeps) {
  const { db } = d.database;
  const links = firmwareLinks(await loadLinkKey(db), d.config.iot.publicUrl);
  const down = downLink({ link: d.link, ingest: d.ingest, channel: d.config.iot.broker === 'external' ? 'broker' : 'mqtt' });
  const commands = commandService({ db, directory: d.directory, link: d.link, down, replySeconds: d.config.iot.commandTimeoutSeconds });
  const ota = otaService({ db, directory: d.directory, link: d.link, down, links });

  d.ingest.onAccepted(async (m) => {
    if (m.kind === 'reply') await commands.onReply(m);
    else if (m.kind === 'ota-progress') await ota.onProgress(m);
    else if (m.kind === 'ota-inform') await ota.onInform(m);
  });
  d.ingest.onPresence?.(async (device, online) => {
    if (!online) return;
    await commands.onOnline(device);
    await ota.onOnline(device);
  });
  const stops = d.sweeps === false ? [] : [
    every(TIMEOUT_SWEEP_MS, 'command timeout sweep', d.log, () => commands.sweep()),
    every(CATCH_UP_MS, 'down-link catch-up', d.log, async () => {
      await commands.deliverQueued();
      await ota.pushPending();
    }),
  ];
  return { commands, ota, down, links, stop: () => stops.forEach((stop) => stop()) };
}

/** 指令下发 and OTA: the handlers above plus their routes (API nodes). */
export async function registerCommandsAndOta(app: FastifyInstance, d: Omit<DownLinkDeps, 'log'> & { files: FileService }) {
  const h = await downLinkHandlers({ ...d, log: app.log });
  const firmware = firmwareService({ db: d.database.db, files: d.files, links: h.links, directory: d.directory, down: h.down });
  commandRoutes(app, { commands: h.commands });
  otaRoutes(app, { firmware, ota: h.ota, maxBytes: d.files.maxBytes });
  app.addHook('onClose', async () => h.stop());
  return { ...h, firmware };
}
