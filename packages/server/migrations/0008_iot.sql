CREATE TABLE "sys_access_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"ip" text,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"user_id" uuid,
	"username" text,
	"status" integer NOT NULL,
	"duration_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sys_log_alert" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"level" text DEFAULT 'error' NOT NULL,
	"logger" text DEFAULT '' NOT NULL,
	"threshold" integer DEFAULT 5 NOT NULL,
	"window_seconds" integer DEFAULT 60 NOT NULL,
	"role_codes" text[] DEFAULT '{}' NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"last_fired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sys_system_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"thread" text NOT NULL,
	"logger" text NOT NULL,
	"level" text NOT NULL,
	"content" text NOT NULL,
	"service" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "iot_product" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_key" text NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"node_type" text DEFAULT 'direct' NOT NULL,
	"protocol" text DEFAULT 'mqtt' NOT NULL,
	"auth_mode" text DEFAULT 'device_secret' NOT NULL,
	"product_secret" text NOT NULL,
	"dynamic_register" boolean DEFAULT false NOT NULL,
	"whitelist" text[] DEFAULT '{}'::text[] NOT NULL,
	"thing_model" jsonb NOT NULL,
	"model_version" integer DEFAULT 1 NOT NULL,
	"offline_seconds" integer DEFAULT 600 NOT NULL,
	"event_type_code" text,
	"description" text DEFAULT '' NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "iot_product_product_key_unique" UNIQUE("product_key")
);
--> statement-breakpoint
CREATE TABLE "iot_device" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"device_key" text NOT NULL,
	"name" text NOT NULL,
	"secret" text NOT NULL,
	"status" text DEFAULT 'inactive' NOT NULL,
	"test_mode" boolean DEFAULT false NOT NULL,
	"region_code" text,
	"org_id" uuid,
	"lng" double precision,
	"lat" double precision,
	"address" text,
	"gateway_id" uuid,
	"allowed_addresses" text[] DEFAULT '{}'::text[] NOT NULL,
	"firmware_version" text,
	"last_ip" text,
	"activated_at" timestamp with time zone,
	"last_seen_at" timestamp with time zone,
	"online_at" timestamp with time zone,
	"offline_at" timestamp with time zone,
	"deregistered_at" timestamp with time zone,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "iot_device_event" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"device_id" uuid NOT NULL,
	"identifier" text NOT NULL,
	"name" text NOT NULL,
	"level" text NOT NULL,
	"output" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"ts" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "iot_device_state" (
	"device_id" uuid PRIMARY KEY NOT NULL,
	"props" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "iot_telemetry" (
	"device_id" uuid NOT NULL,
	"identifier" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"num" double precision,
	"value" jsonb,
	CONSTRAINT "iot_telemetry_device_id_identifier_ts_pk" PRIMARY KEY("device_id","identifier","ts")
);
--> statement-breakpoint
CREATE TABLE "iot_message" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ts" timestamp with time zone DEFAULT now() NOT NULL,
	"device_id" uuid,
	"product_key" text,
	"device_key" text,
	"direction" text NOT NULL,
	"channel" text NOT NULL,
	"kind" text NOT NULL,
	"topic" text DEFAULT '' NOT NULL,
	"payload" text DEFAULT '' NOT NULL,
	"result" text NOT NULL,
	"reason" text,
	"latency_ms" integer,
	"msg_id" text,
	"client_ip" text
);
--> statement-breakpoint
CREATE TABLE "iot_command" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"device_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"identifier" text DEFAULT '' NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"msg_id" text NOT NULL,
	"status" text NOT NULL,
	"reply_code" integer,
	"reply" jsonb,
	"reason" text,
	"timeout_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"replied_at" timestamp with time zone,
	"created_by" uuid,
	"created_by_name" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "iot_firmware" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"name" text NOT NULL,
	"version" text NOT NULL,
	"file_id" uuid NOT NULL,
	"size" integer NOT NULL,
	"sign" text NOT NULL,
	"sign_method" text DEFAULT 'SM3' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "iot_ota_device" (
	"task_id" uuid NOT NULL,
	"device_id" uuid NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"from_version" text,
	"message" text,
	"msg_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "iot_ota_device_task_id_device_id_pk" PRIMARY KEY("task_id","device_id")
);
--> statement-breakpoint
CREATE TABLE "iot_ota_task" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firmware_id" uuid NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"created_by" uuid,
	"created_by_name" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "iot_alarm" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"rule_id" uuid NOT NULL,
	"rule_name" text NOT NULL,
	"device_id" uuid NOT NULL,
	"level" text NOT NULL,
	"title" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"event_id" uuid,
	"event_no" text,
	"raised_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" text,
	"cleared_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "iot_rule" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"model_id" uuid,
	"kind" text NOT NULL,
	"product_id" uuid NOT NULL,
	"device_ids" uuid[] DEFAULT '{}' NOT NULL,
	"params" jsonb NOT NULL,
	"actions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"level" text DEFAULT 'warning' NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"last_fired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "iot_rule_model" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"params" jsonb NOT NULL,
	"actions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"builtin" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "iot_rule_model_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "iot_api_key" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"key_id" text NOT NULL,
	"secret_hash" text NOT NULL,
	"scopes" text[] DEFAULT '{}'::text[] NOT NULL,
	"rate_limit" integer DEFAULT 600 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"expires_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "iot_api_key_key_id_unique" UNIQUE("key_id")
);
--> statement-breakpoint
ALTER TABLE "iot_device" ADD CONSTRAINT "iot_device_product_id_iot_product_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."iot_product"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sys_access_log_at_idx" ON "sys_access_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "sys_access_log_user_idx" ON "sys_access_log" USING btree ("username","at");--> statement-breakpoint
CREATE INDEX "sys_system_log_at_idx" ON "sys_system_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "sys_system_log_level_idx" ON "sys_system_log" USING btree ("level","at");--> statement-breakpoint
CREATE UNIQUE INDEX "iot_device_product_key_uq" ON "iot_device" USING btree ("product_id","device_key");--> statement-breakpoint
CREATE INDEX "iot_device_status_idx" ON "iot_device" USING btree ("status","product_id");--> statement-breakpoint
CREATE INDEX "iot_device_region_idx" ON "iot_device" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "iot_device_org_idx" ON "iot_device" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "iot_device_gateway_idx" ON "iot_device" USING btree ("gateway_id");--> statement-breakpoint
CREATE INDEX "iot_device_name_trgm_idx" ON "iot_device" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "iot_device_event_device_ts_idx" ON "iot_device_event" USING btree ("device_id","ts");--> statement-breakpoint
CREATE INDEX "iot_message_device_ts_idx" ON "iot_message" USING btree ("device_id","ts");--> statement-breakpoint
CREATE INDEX "iot_message_ts_idx" ON "iot_message" USING btree ("ts");--> statement-breakpoint
CREATE INDEX "iot_message_result_ts_idx" ON "iot_message" USING btree ("result","ts");--> statement-breakpoint
CREATE INDEX "iot_command_device_idx" ON "iot_command" USING btree ("device_id","created_at");--> statement-breakpoint
CREATE INDEX "iot_command_msg_idx" ON "iot_command" USING btree ("device_id","msg_id");--> statement-breakpoint
CREATE INDEX "iot_command_open_idx" ON "iot_command" USING btree ("status","timeout_at");--> statement-breakpoint
CREATE INDEX "iot_ota_device_device_idx" ON "iot_ota_device" USING btree ("device_id","status");--> statement-breakpoint
CREATE INDEX "iot_alarm_status_idx" ON "iot_alarm" USING btree ("status","raised_at");--> statement-breakpoint
CREATE INDEX "iot_alarm_device_idx" ON "iot_alarm" USING btree ("device_id","raised_at");--> statement-breakpoint
CREATE INDEX "iot_alarm_rule_device_idx" ON "iot_alarm" USING btree ("rule_id","device_id","status");--> statement-breakpoint
CREATE INDEX "iot_rule_product_idx" ON "iot_rule" USING btree ("product_id","enabled");