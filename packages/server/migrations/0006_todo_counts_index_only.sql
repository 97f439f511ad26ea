DROP INDEX "evt_node_org_status_idx";--> statement-breakpoint
CREATE INDEX "evt_node_org_status_idx" ON "evt_node" USING btree ("org_id","status","deadline","warn_at","role");