-- AlterTable
ALTER TABLE "error_rollups" DROP CONSTRAINT "error_rollups_pkey",
ADD COLUMN     "segment" TEXT NOT NULL DEFAULT '',
ADD CONSTRAINT "error_rollups_pkey" PRIMARY KEY ("project_id", "segment", "day", "seq");

-- AlterTable
ALTER TABLE "page_rollups" DROP CONSTRAINT "page_rollups_pkey",
ADD COLUMN     "segment" TEXT NOT NULL DEFAULT '',
ADD CONSTRAINT "page_rollups_pkey" PRIMARY KEY ("project_id", "segment", "day", "seq");

-- AlterTable
ALTER TABLE "session_rollups" DROP CONSTRAINT "session_rollups_pkey",
ADD COLUMN     "segment" TEXT NOT NULL DEFAULT '',
ADD CONSTRAINT "session_rollups_pkey" PRIMARY KEY ("project_id", "segment", "day", "seq");

-- The rollup segments a judged session belongs to: '' (all sessions), then one per filter value it matches, named
-- as the filters name them: `browser <name>`, `os <name>`, `source <host>` (loupe_source), `insight <kind>` for each
-- insight it has (`js_error`: any JavaScript error), `tag <key>:<value>` for each string value of each custom tag
-- (keys without ':' — the filters' `key:value` syntax cannot name others). A filter on one of these reads one segment.
CREATE FUNCTION loupe_session_segments(s sessions) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ARRAY['', 'source ' || loupe_source(s.referrer)]
      || CASE WHEN s.browser IS NULL THEN '{}'::text[] ELSE ARRAY['browser ' || s.browser] END
      || CASE WHEN s.os IS NULL THEN '{}'::text[] ELSE ARRAY['os ' || s.os] END
      || ARRAY(SELECT 'insight ' || k FROM (VALUES ('rage_click', s.rage_clicks), ('dead_click', s.dead_clicks),
                 ('error_click', s.error_clicks), ('excessive_scroll', s.excessive_scrolls), ('quick_back', s.quick_backs),
                 ('js_error', s.error_count)) AS i(k, n) WHERE n > 0)
      || ARRAY(SELECT DISTINCT 'tag ' || e.key || ':' || (v.elem #>> '{}')
                 FROM jsonb_each(CASE jsonb_typeof(s.tags) WHEN 'object' THEN s.tags ELSE '{}'::jsonb END) e
                CROSS JOIN LATERAL jsonb_array_elements(CASE jsonb_typeof(e.value) WHEN 'array' THEN e.value ELSE jsonb_build_array(e.value) END) v(elem)
                WHERE jsonb_typeof(v.elem) = 'string' AND strpos(e.key, ':') = 0)
$$;

-- Every statement here looks one session's or one visitor's rows up by key. Sequential scans are off: a trigger's
-- cached plans are made once per connection, and made while a table is still empty they scan it for good (the
-- analyzer then slowed down quadratically as visitor_days grew).
CREATE OR REPLACE FUNCTION loupe_rollup_session(s sessions, dir int) RETURNS void LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  tz text;
  gone timestamptz;
  d date;
  segs text[];
  sc text;
  n int;
  prev date;
  nxt date;
BEGIN
  SELECT coalesce(p.settings->>'timeZone', 'UTC'), p.deleted_at INTO tz, gone FROM projects p WHERE p.id = s.project_id FOR KEY SHARE;
  IF NOT FOUND OR gone IS NOT NULL THEN RETURN; END IF;
  d := (s.started_at AT TIME ZONE tz)::date;
  segs := loupe_session_segments(s);

  INSERT INTO session_rollups (project_id, segment, day, device, source, sessions, page_views, scroll_sum, duration_ms_sum, error_sessions,
                               active_ms_sum, rage_sessions, dead_sessions, error_click_sessions, excessive_sessions, quick_back_sessions)
  SELECT s.project_id, g, d, s.device_class, loupe_source(s.referrer), dir, dir * s.page_count, dir * s.max_scroll_depth,
         dir * s.duration_ms, dir * (s.error_count > 0)::int, dir * s.active_ms, dir * (s.rage_clicks > 0)::int,
         dir * (s.dead_clicks > 0)::int, dir * (s.error_clicks > 0)::int, dir * (s.excessive_scrolls > 0)::int,
         dir * (s.quick_backs > 0)::int
    FROM unnest(segs) g;

  INSERT INTO page_rollups (project_id, segment, day, device, url, page_views, sessions)
  SELECT s.project_id, g, d, s.device_class, x.url, x.n, dir
    FROM (SELECT pv.url, dir * count(*) AS n FROM page_views pv WHERE pv.project_id = s.project_id AND pv.session_id = s.id GROUP BY pv.url) x
   CROSS JOIN unnest(segs) g;

  INSERT INTO error_rollups (project_id, segment, day, device, browser, message, url, errors, sessions)
  SELECT s.project_id, g, d, s.device_class, coalesce(s.browser, 'unknown'), x.message, x.url, x.n, x.first
    FROM (SELECT e.message, e.url, dir * count(*) AS n, dir * (e.url = min(e.url) OVER (PARTITION BY e.message))::int AS first
            FROM js_errors e WHERE e.project_id = s.project_id AND e.session_id = s.id GROUP BY e.message, e.url) x
   CROSS JOIN unnest(segs) g;

  -- A visitor's active days form a list per scope (all, the device, each segment); the rollup counts each day
  -- with its predecessor, so inserting or removing a day re-links its successor. One visitor at a time.
  -- The visitor's row lock, not an advisory lock: a bulk delete of thousands of sessions would need one advisory lock
  -- each, and the shared lock table is small; row locks live in the row.
  PERFORM 1 FROM visitors v WHERE v.project_id = s.project_id AND v.id = s.visitor_id FOR NO KEY UPDATE;
  FOREACH sc IN ARRAY ARRAY['*', s.device_class::text] || segs[2:] LOOP
    IF dir > 0 THEN
      INSERT INTO visitor_days AS v (project_id, visitor_id, scope, day, sessions) VALUES (s.project_id, s.visitor_id, sc, d, 1)
        ON CONFLICT (project_id, visitor_id, scope, day) DO UPDATE SET sessions = v.sessions + 1
        RETURNING v.sessions INTO n;
      CONTINUE WHEN n > 1;
    ELSE
      UPDATE visitor_days v SET sessions = v.sessions - 1
       WHERE v.project_id = s.project_id AND v.visitor_id = s.visitor_id AND v.scope = sc AND v.day = d
       RETURNING v.sessions INTO n;
      CONTINUE WHEN NOT FOUND OR n > 0;
      DELETE FROM visitor_days v WHERE v.project_id = s.project_id AND v.visitor_id = s.visitor_id AND v.scope = sc AND v.day = d;
    END IF;
    SELECT max(v.day) INTO prev FROM visitor_days v WHERE v.project_id = s.project_id AND v.visitor_id = s.visitor_id AND v.scope = sc AND v.day < d;
    SELECT min(v.day) INTO nxt FROM visitor_days v WHERE v.project_id = s.project_id AND v.visitor_id = s.visitor_id AND v.scope = sc AND v.day > d;
    prev := coalesce(prev, '-infinity'::date);
    INSERT INTO visitor_rollups (project_id, scope, day, prev_day, visitors) VALUES (s.project_id, sc, d, prev, dir);
    IF nxt IS NOT NULL THEN
      INSERT INTO visitor_rollups (project_id, scope, day, prev_day, visitors)
      VALUES (s.project_id, sc, nxt, prev, -dir), (s.project_id, sc, nxt, d, dir);
    END IF;
  END LOOP;
END
$$;

-- Rows are written in (segment, day) order: a filter reads one segment's days, and rows stored together are read
-- together (segments interleaved would make every read scan the whole table).
CREATE OR REPLACE FUNCTION loupe_rebuild_rollups(p_project text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  tz text;
BEGIN
  SELECT coalesce(p.settings->>'timeZone', 'UTC') INTO tz FROM projects p WHERE p.id = p_project FOR UPDATE;
  IF NOT FOUND THEN RETURN; END IF;
  DELETE FROM session_rollups WHERE project_id = p_project;
  DELETE FROM page_rollups WHERE project_id = p_project;
  DELETE FROM error_rollups WHERE project_id = p_project;
  DELETE FROM visitor_days WHERE project_id = p_project;
  DELETE FROM visitor_rollups WHERE project_id = p_project;

  CREATE TEMP TABLE loupe_judged ON COMMIT DROP AS
    SELECT s.id, s.visitor_id, (s.started_at AT TIME ZONE tz)::date AS day, s.device_class AS device, coalesce(s.browser, 'unknown') AS browser,
           loupe_session_segments(s) AS segs
      FROM sessions s WHERE s.project_id = p_project AND s.analyzed_at IS NOT NULL;
  CREATE INDEX ON loupe_judged (id);
  ANALYZE loupe_judged;

  INSERT INTO session_rollups (project_id, segment, day, device, source, sessions, page_views, scroll_sum, duration_ms_sum, error_sessions,
                               active_ms_sum, rage_sessions, dead_sessions, error_click_sessions, excessive_sessions, quick_back_sessions)
  SELECT p_project, g, (s.started_at AT TIME ZONE tz)::date, s.device_class, loupe_source(s.referrer), count(*), sum(s.page_count),
         sum(s.max_scroll_depth), sum(s.duration_ms), count(*) FILTER (WHERE s.error_count > 0), sum(s.active_ms),
         count(*) FILTER (WHERE s.rage_clicks > 0), count(*) FILTER (WHERE s.dead_clicks > 0), count(*) FILTER (WHERE s.error_clicks > 0),
         count(*) FILTER (WHERE s.excessive_scrolls > 0), count(*) FILTER (WHERE s.quick_backs > 0)
    FROM sessions s CROSS JOIN LATERAL unnest(loupe_session_segments(s)) g
   WHERE s.project_id = p_project AND s.analyzed_at IS NOT NULL GROUP BY 2, 3, 4, 5 ORDER BY 2, 3;

  INSERT INTO page_rollups (project_id, segment, day, device, url, page_views, sessions)
  SELECT p_project, g, j.day, j.device, x.url, sum(x.n), count(*)
    FROM (SELECT pv.session_id, pv.url, count(*) AS n FROM page_views pv WHERE pv.project_id = p_project GROUP BY 1, 2) x
    JOIN loupe_judged j ON j.id = x.session_id CROSS JOIN LATERAL unnest(j.segs) g
   GROUP BY 2, 3, 4, 5 ORDER BY 2, 3;

  INSERT INTO error_rollups (project_id, segment, day, device, browser, message, url, errors, sessions)
  SELECT p_project, g, j.day, j.device, j.browser, x.message, x.url, sum(x.n), count(*) FILTER (WHERE x.first)
    FROM (SELECT e.session_id, e.message, e.url, count(*) AS n, e.url = min(e.url) OVER (PARTITION BY e.session_id, e.message) AS first
            FROM js_errors e WHERE e.project_id = p_project GROUP BY 1, 2, 3) x
    JOIN loupe_judged j ON j.id = x.session_id CROSS JOIN LATERAL unnest(j.segs) g
   GROUP BY 2, 3, 4, 5, 6, 7 ORDER BY 2, 3;

  INSERT INTO visitor_days (project_id, visitor_id, scope, day, sessions)
  SELECT p_project, j.visitor_id, sc, j.day, count(*)
    FROM loupe_judged j CROSS JOIN LATERAL unnest(ARRAY['*', j.device::text] || j.segs[2:]) sc
   GROUP BY 2, 3, 4;

  INSERT INTO visitor_rollups (project_id, scope, day, prev_day, visitors)
  SELECT p_project, scope, day, prev, count(*)
    FROM (SELECT v.scope, v.day, coalesce(lag(v.day) OVER (PARTITION BY v.visitor_id, v.scope ORDER BY v.day), '-infinity'::date) AS prev
            FROM visitor_days v WHERE v.project_id = p_project) x
   GROUP BY 2, 3, 4;
  DROP TABLE loupe_judged;
END
$$;

-- Merges a project's rollup deltas into one row per key, for days from `from_day` on that hold a key twice. Whole days
-- are rewritten (a hash aggregate and a range delete: linear, where deleting key by key joined every key with its
-- day's rows). Safe beside writers and another compactor: each statement only sums the rows it deleted itself.
CREATE OR REPLACE FUNCTION loupe_compact_rollups(p_project text, from_day date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  days date[];
BEGIN
  days := ARRAY(SELECT DISTINCT day FROM session_rollups WHERE project_id = p_project AND day >= from_day
                 GROUP BY segment, day, device, source HAVING count(*) > 1);
  WITH del AS (DELETE FROM session_rollups r WHERE r.project_id = p_project AND r.day = ANY(days) RETURNING r.*)
  INSERT INTO session_rollups (project_id, segment, day, device, source, sessions, page_views, scroll_sum, duration_ms_sum, error_sessions,
                               active_ms_sum, rage_sessions, dead_sessions, error_click_sessions, excessive_sessions, quick_back_sessions)
  SELECT p_project, segment, day, device, source, sum(sessions), sum(page_views), sum(scroll_sum), sum(duration_ms_sum), sum(error_sessions),
         sum(active_ms_sum), sum(rage_sessions), sum(dead_sessions), sum(error_click_sessions), sum(excessive_sessions), sum(quick_back_sessions)
    FROM del GROUP BY segment, day, device, source HAVING sum(sessions) <> 0 ORDER BY segment, day;

  days := ARRAY(SELECT DISTINCT day FROM page_rollups WHERE project_id = p_project AND day >= from_day
                 GROUP BY segment, day, device, url HAVING count(*) > 1);
  WITH del AS (DELETE FROM page_rollups r WHERE r.project_id = p_project AND r.day = ANY(days) RETURNING r.*)
  INSERT INTO page_rollups (project_id, segment, day, device, url, page_views, sessions)
  SELECT p_project, segment, day, device, url, sum(page_views), sum(sessions) FROM del
   GROUP BY segment, day, device, url HAVING sum(sessions) <> 0 ORDER BY segment, day;

  days := ARRAY(SELECT DISTINCT day FROM error_rollups WHERE project_id = p_project AND day >= from_day
                 GROUP BY segment, day, device, browser, message, url HAVING count(*) > 1);
  WITH del AS (DELETE FROM error_rollups r WHERE r.project_id = p_project AND r.day = ANY(days) RETURNING r.*)
  INSERT INTO error_rollups (project_id, segment, day, device, browser, message, url, errors, sessions)
  SELECT p_project, segment, day, device, browser, message, url, sum(errors), sum(sessions) FROM del
   GROUP BY segment, day, device, browser, message, url HAVING sum(errors) <> 0 ORDER BY segment, day;

  -- visitor_rollups is keyed by scope first: its days are found per scope.
  WITH dirty AS (SELECT DISTINCT scope, day FROM visitor_rollups WHERE project_id = p_project AND day >= from_day
                  GROUP BY scope, day, prev_day HAVING count(*) > 1),
       del AS (DELETE FROM visitor_rollups r USING dirty d
                WHERE r.project_id = p_project AND r.scope = d.scope AND r.day = d.day RETURNING r.*)
  INSERT INTO visitor_rollups (project_id, scope, day, prev_day, visitors)
  SELECT p_project, scope, day, prev_day, sum(visitors) FROM del GROUP BY scope, day, prev_day HAVING sum(visitors) <> 0;
END
$$;

SELECT loupe_rebuild_rollups(id) FROM projects WHERE deleted_at IS NULL;
