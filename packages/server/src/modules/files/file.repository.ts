import { eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { fileObject } from './file.table.js';

export type FileRow = typeof fileObject.$inferSelect;
export type NewFileRow = typeof fileObject.$inferInsert;

/** Uploaded files' metadata. */
export function fileRepository(db: DbOrTx) {
  return {
    async insert(row: NewFileRow) {
      const [r] = await db.insert(fileObject).values(row).returning();
      return r!;
    },

    async findById(id: string) {
      const [r] = await db.select().from(fileObject).where(eq(fileObject.id, id));
      return r;
    },

    findByIds(ids: string[]) {
      return db.select().from(fileObject).where(inArray(fileObject.id, ids));
    },
  };
}
export type FileRepository = ReturnType<typeof fileRepository>;
