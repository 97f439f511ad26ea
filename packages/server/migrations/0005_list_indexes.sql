-- The distinct pairs of adjacent characters of a text, lower-cased: a two-character keyword (most
-- Chinese words) is then one array containment on a GIN index, where trigrams need three.
CREATE OR REPLACE FUNCTION evt_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT coalesce(array_agg(DISTINCT substr(lower(t), i, 2)), '{}'::text[]) FROM generate_series(1, char_length(t) - 1) i
$$;--> statement-breakpoint
CREATE INDEX "evt_event_open_org_ids_idx" ON "evt_event" USING gin ("org_ids") WHERE "evt_event"."status" in ('processing', 'handled');--> statement-breakpoint
CREATE INDEX "evt_event_title_bigram_idx" ON "evt_event" USING gin (evt_bigrams("title"));--> statement-breakpoint
-- The planner needs the new expression index's statistics to tell a rare pair from a common one.
ANALYZE "evt_event";
