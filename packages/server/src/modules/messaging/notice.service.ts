import { NOTICE_KIND, PERMISSIONS, type FileInfo, type Notice, type NoticeCreate, type NoticeListQuery, type NoticeSummary } from '@cityops/contracts';
import type { z } from 'zod';
import type { Db } from '../../core/db.js';
import { Invalid, NotFound } from '../../core/errors.js';
import { isUuid } from '../../core/ids.js';
import { hasPermission, type Principal } from '../../core/principal.js';
import { orgRepository } from '../system/org.repository.js';
import { messageRepository } from './message.repository.js';
import { noticeRepository, type NoticeRow } from './notice.repository.js';

/** What notices need of the files module: the metadata of uploaded files (Invalid when one is missing). */
export interface NoticeFiles {
  describe(ids: string[]): Promise<FileInfo[]>;
}

/**
 * 系统通知: a publisher writes a notice with attachments to everyone or to chosen organisations;
 * each recipient gets a message of kind 'notice' pointing at it, in the same transaction.
 */
export function noticeService(d: { db: Db; files: NoticeFiles }) {
  const notices = noticeRepository(d.db);
  const orgs = orgRepository(d.db);

  const orgNamesOf = async (rows: NoticeRow[]) => {
    const names = await orgs.namesOf([...new Set(rows.flatMap((r) => r.orgIds))]);
    return (r: NoticeRow) => r.orgIds.map((id) => names.get(id)).filter((n): n is string => !!n);
  };

  return {
    async publish(user: Principal, body: z.output<typeof NoticeCreate>) {
      // Checked before the transaction: the files module reads on its own connection.
      await d.files.describe(body.fileIds);
      const orgIds = body.scope === 'all' ? [] : [...new Set(body.orgIds)];
      if (orgIds.length) {
        const found = await orgs.namesOf(orgIds);
        if (found.size !== orgIds.length) throw new Invalid('所选接收单位不存在或已删除', [{ path: 'orgIds', message: '所选接收单位不存在或已删除' }]);
      }
      return d.db.transaction(async (tx) => {
        const notice = await noticeRepository(tx).insert({
          title: body.title, content: body.content, fileIds: body.fileIds, orgIds, publisherId: user.id, publisherName: user.name,
        });
        // The publisher gets it too when they are among the recipients: the list shows what went out.
        const recipients = await messageRepository(tx).insertForOrgs(orgIds.length ? orgIds : null, {
          kind: NOTICE_KIND, title: body.title, content: body.content.slice(0, 200), noticeId: notice.id,
        });
        if (!recipients) throw new Invalid('所选单位下没有可接收通知的人员', [{ path: 'orgIds', message: '所选单位下没有可接收通知的人员' }]);
        return { id: notice.id, recipients };
      });
    },

    async list(q: z.output<typeof NoticeListQuery>) {
      const { items, total } = await notices.page(q.keyword || undefined, q.page, q.pageSize);
      const names = await orgNamesOf(items);
      const out: NoticeSummary[] = items.map((r) => ({
        id: r.id, title: r.title, orgNames: names(r), fileCount: r.fileIds.length, publisherName: r.publisherName, createdAt: r.createdAt.toISOString(),
      }));
      return { items: out, total, page: q.page, pageSize: q.pageSize };
    },

    /** Readable by its recipients (everyone, the chosen organisations' people, whoever got the message) and by publishers. */
    async detail(user: Principal, id: string): Promise<Notice> {
      const row = isUuid(id) ? await notices.byId(id) : undefined;
      const allowed =
        row &&
        (hasPermission(user, PERMISSIONS.noticePublish) ||
          row.orgIds.length === 0 ||
          (user.orgId !== null && row.orgIds.includes(user.orgId)) ||
          (await messageRepository(d.db).hasNotice(user.id, row.id)));
      if (!row || !allowed) throw new NotFound('通知不存在或已删除');
      const names = await orgNamesOf([row]);
      return {
        id: row.id, title: row.title, content: row.content, orgNames: names(row), publisherName: row.publisherName,
        createdAt: row.createdAt.toISOString(), files: await d.files.describe(row.fileIds),
      };
    },

    /** The organisations a notice may go to, for the picker. */
    orgs: () => orgs.outline(),
  };
}
export type NoticeService = ReturnType<typeof noticeService>;
