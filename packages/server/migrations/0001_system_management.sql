CREATE TABLE "sys_job" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"message" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sys_org_superior" (
	"org_id" uuid NOT NULL,
	"superior_id" uuid NOT NULL,
	CONSTRAINT "sys_org_superior_org_id_superior_id_pk" PRIMARY KEY("org_id","superior_id")
);
--> statement-breakpoint
CREATE TABLE "sys_role_group" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "sys_role_group_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "sys_role_org_scope" (
	"role_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	CONSTRAINT "sys_role_org_scope_role_id_org_id_pk" PRIMARY KEY("role_id","org_id")
);
--> statement-breakpoint
CREATE TABLE "sys_api_resource" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"parent_id" uuid,
	"type" text NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sys_dict_item" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type_code" text NOT NULL,
	"label" text NOT NULL,
	"value" text NOT NULL,
	"tag_type" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sys_dict_item_type_value_uq" UNIQUE("type_code","value")
);
--> statement-breakpoint
CREATE TABLE "sys_dict_type" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"builtin" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sys_dict_type_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "sys_param" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"value" text NOT NULL,
	"default_value" text NOT NULL,
	"description" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sys_saved_query" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"page" text NOT NULL,
	"name" text NOT NULL,
	"conditions" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sys_region" ADD COLUMN "pinyin" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "sys_org" ADD COLUMN "org_code" text;--> statement-breakpoint
ALTER TABLE "sys_org" ADD COLUMN "type" text;--> statement-breakpoint
ALTER TABLE "sys_org" ADD COLUMN "contact" text;--> statement-breakpoint
ALTER TABLE "sys_org" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "sys_org" ADD COLUMN "pinyin" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "sys_user" ADD COLUMN "gender" text;--> statement-breakpoint
ALTER TABLE "sys_user" ADD COLUMN "staff_no" text;--> statement-breakpoint
ALTER TABLE "sys_user" ADD COLUMN "id_type" text;--> statement-breakpoint
ALTER TABLE "sys_user" ADD COLUMN "id_number_cipher" text;--> statement-breakpoint
ALTER TABLE "sys_user" ADD COLUMN "id_number_index" text;--> statement-breakpoint
ALTER TABLE "sys_user" ADD COLUMN "mobile_cipher" text;--> statement-breakpoint
ALTER TABLE "sys_user" ADD COLUMN "mobile_index" text;--> statement-breakpoint
ALTER TABLE "sys_user" ADD COLUMN "pinyin" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "sys_role" ADD COLUMN "group_id" uuid;--> statement-breakpoint
ALTER TABLE "sys_role" ADD COLUMN "org_id" uuid;--> statement-breakpoint
ALTER TABLE "sys_role" ADD COLUMN "visible_to_children" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sys_role" ADD COLUMN "valid_from" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sys_role" ADD COLUMN "valid_to" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sys_role" ADD COLUMN "description" text;--> statement-breakpoint
ALTER TABLE "sys_role" ADD COLUMN "is_admin" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sys_role" ADD COLUMN "builtin" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sys_role_resource" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sys_resource" ADD COLUMN "service_url" text;--> statement-breakpoint
ALTER TABLE "sys_resource" ADD COLUMN "security_level" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "sys_resource" ADD COLUMN "builtin" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "sys_org_superior_sup_idx" ON "sys_org_superior" USING btree ("superior_id");--> statement-breakpoint
CREATE INDEX "sys_saved_query_user_idx" ON "sys_saved_query" USING btree ("user_id","page");--> statement-breakpoint
CREATE INDEX "sys_region_name_idx" ON "sys_region" USING btree ("name");--> statement-breakpoint
CREATE INDEX "sys_user_org_idx" ON "sys_user" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "sys_user_id_number_idx" ON "sys_user" USING btree ("id_number_index");--> statement-breakpoint
CREATE INDEX "sys_user_mobile_idx" ON "sys_user" USING btree ("mobile_index");--> statement-breakpoint
CREATE INDEX "sys_user_role_role_idx" ON "sys_user_role" USING btree ("role_id");--> statement-breakpoint
CREATE INDEX "sys_role_resource_res_idx" ON "sys_role_resource" USING btree ("resource_id");