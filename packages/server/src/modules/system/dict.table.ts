import { boolean, integer, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

export const sysDictType = pgTable('sys_dict_type', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  sort: integer('sort').notNull().default(0),
  builtin: boolean('builtin').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Labels of a dictionary: business data stores `value`, screens show `label`. */
export const sysDictItem = pgTable(
  'sys_dict_item',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    typeCode: text('type_code').notNull(),
    label: text('label').notNull(),
    value: text('value').notNull(),
    /** Element Plus tag type for display: primary/success/warning/danger/info. */
    tagType: text('tag_type'),
    enabled: boolean('enabled').notNull().default(true),
    sort: integer('sort').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('sys_dict_item_type_value_uq').on(t.typeCode, t.value)],
);
