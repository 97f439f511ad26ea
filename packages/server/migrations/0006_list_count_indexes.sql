DROP INDEX "evt_node_org_status_idx";--> statement-breakpoint
CREATE INDEX "evt_event_type_created_idx" ON "evt_event" USING btree ("type_code","created_at");--> statement-breakpoint
CREATE INDEX "evt_node_org_status_idx" ON "evt_node" USING btree ("org_id","status","deadline","warn_at","role");