CREATE TABLE "sys_region_boundary" (
	"region_code" text PRIMARY KEY NOT NULL,
	"geojson" jsonb NOT NULL,
	"file_name" text DEFAULT '' NOT NULL,
	"imported_by" text DEFAULT '' NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "msg_chat" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"from_user_id" uuid NOT NULL,
	"to_user_id" uuid NOT NULL,
	"content" text NOT NULL,
	"event_id" uuid,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "msg_notice" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"content" text DEFAULT '' NOT NULL,
	"file_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"org_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"publisher_id" uuid NOT NULL,
	"publisher_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "msg_message" ADD COLUMN "notice_id" uuid;--> statement-breakpoint
ALTER TABLE "evt_event" ADD COLUMN "actor_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
-- Existing events: their reporter and everyone on their timeline took part (我参与).
UPDATE "evt_event" e SET "actor_ids" = (
	SELECT array_agg(DISTINCT a) FROM (
		SELECT e.creator_id AS a UNION SELECT l.actor_id FROM evt_log l WHERE l.event_id = e.id
	) p
);--> statement-breakpoint
CREATE INDEX "msg_chat_to_idx" ON "msg_chat" USING btree ("to_user_id","from_user_id","created_at");--> statement-breakpoint
CREATE INDEX "msg_chat_from_idx" ON "msg_chat" USING btree ("from_user_id","to_user_id","created_at");--> statement-breakpoint
CREATE INDEX "evt_event_actor_ids_idx" ON "evt_event" USING gin ("actor_ids");