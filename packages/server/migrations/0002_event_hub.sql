CREATE TABLE "file_object" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"mime" text NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"storage" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "msg_message" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"content" text DEFAULT '' NOT NULL,
	"event_id" uuid,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evt_event" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"no" text,
	"title" text NOT NULL,
	"content" text DEFAULT '' NOT NULL,
	"type_code" text NOT NULL,
	"source" text NOT NULL,
	"status" text NOT NULL,
	"is_key" boolean DEFAULT false NOT NULL,
	"supervised" boolean DEFAULT false NOT NULL,
	"region_code" text,
	"address" text,
	"lat" double precision,
	"lng" double precision,
	"form_data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"occurred_at" timestamp with time zone,
	"creator_id" uuid NOT NULL,
	"creator_name" text NOT NULL,
	"creator_org_id" uuid NOT NULL,
	"creator_org_name" text NOT NULL,
	"owner_org_id" uuid,
	"org_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"from_city" boolean DEFAULT false NOT NULL,
	"city_dispatched_at" timestamp with time zone,
	"reported_to_city" boolean DEFAULT false NOT NULL,
	"deadline" timestamp with time zone,
	"warn_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"forced" boolean DEFAULT false NOT NULL,
	"close_opinion" text,
	"void_reason" text,
	"version" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evt_event_no_unique" UNIQUE("no")
);
--> statement-breakpoint
CREATE TABLE "evt_sequence" (
	"key" text PRIMARY KEY NOT NULL,
	"value" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evt_node" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"parent_id" uuid,
	"org_id" uuid NOT NULL,
	"org_name" text NOT NULL,
	"org_path" text NOT NULL,
	"org_level" text NOT NULL,
	"role" text NOT NULL,
	"via" text NOT NULL,
	"status" text NOT NULL,
	"requirement" text,
	"from_org_id" uuid,
	"from_org_name" text,
	"from_city" boolean DEFAULT false NOT NULL,
	"deadline" timestamp with time zone,
	"warn_at" timestamp with time zone,
	"signed_at" timestamp with time zone,
	"signed_by" text,
	"sign_opinion" text,
	"handled_at" timestamp with time zone,
	"handler_id" uuid,
	"handler_name" text,
	"opinion" text,
	"warned_at" timestamp with time zone,
	"overdue_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evt_request" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"node_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"reason" text NOT NULL,
	"old_deadline" timestamp with time zone,
	"new_deadline" timestamp with time zone,
	"applicant_org_id" uuid NOT NULL,
	"applicant_org_name" text NOT NULL,
	"applicant_id" uuid NOT NULL,
	"applicant_name" text NOT NULL,
	"auditor_org_id" uuid NOT NULL,
	"auditor_org_name" text NOT NULL,
	"auditor_id" uuid,
	"auditor_name" text,
	"audit_opinion" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"audited_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "evt_attachment" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"log_id" uuid,
	"file_id" uuid NOT NULL,
	"stage" text NOT NULL,
	"name" text NOT NULL,
	"mime" text NOT NULL,
	"size" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evt_directive" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"person" text NOT NULL,
	"dept" text NOT NULL,
	"position" text,
	"issued_at" timestamp with time zone NOT NULL,
	"content" text NOT NULL,
	"user_id" uuid NOT NULL,
	"org_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evt_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"node_id" uuid,
	"action" text NOT NULL,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"actor_org_id" uuid,
	"actor_org_name" text,
	"opinion" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"is_city" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cal_day" (
	"date" text PRIMARY KEY NOT NULL,
	"workday" boolean NOT NULL,
	"name" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evt_dispatch_group" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"org_ids" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evt_type" (
	"code" text PRIMARY KEY NOT NULL,
	"parent_code" text,
	"name" text NOT NULL,
	"level" integer NOT NULL,
	"category" text DEFAULT 'normal' NOT NULL,
	"limit_value" integer NOT NULL,
	"limit_unit" text NOT NULL,
	"warn_ratio" real DEFAULT 0.2 NOT NULL,
	"form_fields" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"handling_force" text,
	"supervisor" text,
	"close_standard" text,
	"sort" integer DEFAULT 0 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "msg_message_user_idx" ON "msg_message" USING btree ("user_id","read_at","created_at");--> statement-breakpoint
CREATE INDEX "evt_event_org_ids_idx" ON "evt_event" USING gin ("org_ids");--> statement-breakpoint
CREATE INDEX "evt_event_status_created_idx" ON "evt_event" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "evt_event_created_idx" ON "evt_event" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "evt_event_creator_idx" ON "evt_event" USING btree ("creator_id","status");--> statement-breakpoint
CREATE INDEX "evt_event_key_idx" ON "evt_event" USING btree ("is_key","created_at");--> statement-breakpoint
CREATE INDEX "evt_node_event_idx" ON "evt_node" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "evt_node_org_status_idx" ON "evt_node" USING btree ("org_id","status","deadline");--> statement-breakpoint
CREATE INDEX "evt_node_parent_idx" ON "evt_node" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "evt_node_open_deadline_idx" ON "evt_node" USING btree ("deadline") WHERE status in ('todo', 'waiting', 'closing') and deadline is not null;--> statement-breakpoint
CREATE INDEX "evt_request_auditor_idx" ON "evt_request" USING btree ("auditor_org_id","status","created_at");--> statement-breakpoint
CREATE INDEX "evt_request_applicant_idx" ON "evt_request" USING btree ("applicant_org_id","created_at");--> statement-breakpoint
CREATE INDEX "evt_request_event_idx" ON "evt_request" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "evt_attachment_event_idx" ON "evt_attachment" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "evt_directive_event_idx" ON "evt_directive" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "evt_log_event_idx" ON "evt_log" USING btree ("event_id","created_at");--> statement-breakpoint
CREATE INDEX "evt_log_actor_idx" ON "evt_log" USING btree ("actor_id","event_id");--> statement-breakpoint
CREATE INDEX "evt_dispatch_group_user_idx" ON "evt_dispatch_group" USING btree ("user_id");