-- Trigram search on event titles and numbers (PostgreSQL contrib; PGlite loads it in core/db.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
DROP INDEX "evt_node_open_deadline_idx";--> statement-breakpoint
CREATE INDEX "evt_event_title_trgm_idx" ON "evt_event" USING gin ("title" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "evt_event_no_trgm_idx" ON "evt_event" USING gin ("no" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "evt_node_overdue_due_idx" ON "evt_node" USING btree ("deadline") WHERE status in ('todo', 'waiting', 'closing') and role <> 'cc' and overdue_at is null and deadline is not null;--> statement-breakpoint
CREATE INDEX "evt_node_warn_due_idx" ON "evt_node" USING btree ("warn_at") WHERE status in ('todo', 'waiting', 'closing') and role <> 'cc' and warned_at is null and warn_at is not null;