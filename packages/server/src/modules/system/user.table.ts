import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const sysUser = pgTable(
  'sys_user',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    username: text('username').notNull().unique(),
    name: text('name').notNull(),
    orgId: uuid('org_id'),
    /** 'male' | 'female' | null. */
    gender: text('gender'),
    staffNo: text('staff_no'),
    /** 证件类别, a key of the dictionary 'id_type'. */
    idType: text('id_type'),
    /** ID number and mobile: SM4 ciphertext, and an HMAC-SM3 blind index for exact search. */
    idNumberCipher: text('id_number_cipher'),
    idNumberIndex: text('id_number_index'),
    mobileCipher: text('mobile_cipher'),
    mobileIndex: text('mobile_index'),
    pinyin: text('pinyin').notNull().default(''),
    passwordHash: text('password_hash').notNull(),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** 'initial' | 'reset' while the holder must choose a new password; null otherwise. */
    passwordChangeReason: text('password_change_reason').$type<'initial' | 'reset'>(),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    enabled: boolean('enabled').notNull().default(true),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('sys_user_org_idx').on(t.orgId),
    index('sys_user_id_number_idx').on(t.idNumberIndex),
    index('sys_user_mobile_idx').on(t.mobileIndex),
  ],
);

export const sysUserRole = pgTable(
  'sys_user_role',
  {
    userId: uuid('user_id').notNull(),
    roleId: uuid('role_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.roleId] }), index('sys_user_role_role_idx').on(t.roleId)],
);
