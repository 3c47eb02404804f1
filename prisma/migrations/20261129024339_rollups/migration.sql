-- CreateTable
CREATE TABLE "session_rollups" (
    "project_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "device" "device_class" NOT NULL,
    "source" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "sessions" INTEGER NOT NULL,
    "page_views" BIGINT NOT NULL,
    "scroll_sum" DOUBLE PRECISION NOT NULL,
    "duration_ms_sum" BIGINT NOT NULL,
    "error_sessions" INTEGER NOT NULL,
    "active_ms_sum" BIGINT NOT NULL,
    "rage_sessions" INTEGER NOT NULL,
    "dead_sessions" INTEGER NOT NULL,
    "error_click_sessions" INTEGER NOT NULL,
    "excessive_sessions" INTEGER NOT NULL,
    "quick_back_sessions" INTEGER NOT NULL,

    CONSTRAINT "session_rollups_pkey" PRIMARY KEY ("project_id","day","seq")
);

-- CreateTable
CREATE TABLE "page_rollups" (
    "project_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "device" "device_class" NOT NULL,
    "url" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "page_views" INTEGER NOT NULL,
    "sessions" INTEGER NOT NULL,

    CONSTRAINT "page_rollups_pkey" PRIMARY KEY ("project_id","day","seq")
);

-- CreateTable
CREATE TABLE "error_rollups" (
    "project_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "device" "device_class" NOT NULL,
    "browser" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "errors" INTEGER NOT NULL,
    "sessions" INTEGER NOT NULL,

    CONSTRAINT "error_rollups_pkey" PRIMARY KEY ("project_id","day","seq")
);

-- CreateTable
CREATE TABLE "visitor_days" (
    "project_id" TEXT NOT NULL,
    "visitor_id" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "sessions" INTEGER NOT NULL,

    CONSTRAINT "visitor_days_pkey" PRIMARY KEY ("project_id","visitor_id","scope","day")
);

-- CreateTable
CREATE TABLE "visitor_rollups" (
    "project_id" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "prev_day" DATE NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "visitors" INTEGER NOT NULL,

    CONSTRAINT "visitor_rollups_pkey" PRIMARY KEY ("project_id","scope","day","prev_day","seq")
);

-- The traffic source of a referrer: its host, lower-cased, without `www.` and port, or `direct`. The one definition:
-- the filters (api/src/queries/sessionFilters.ts) call it too. A single SELECT expression, so the planner inlines it.
CREATE FUNCTION loupe_source(referrer text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN referrer IS NULL OR split_part(split_part(split_part(split_part(split_part(lower(referrer), '://', 2), '/', 1), '?', 1), '#', 1), ':', 1) = '' THEN 'direct'
    WHEN split_part(split_part(split_part(split_part(split_part(lower(referrer), '://', 2), '/', 1), '?', 1), '#', 1), ':', 1) LIKE 'www.%'
      THEN substr(split_part(split_part(split_part(split_part(split_part(lower(referrer), '://', 2), '/', 1), '?', 1), '#', 1), ':', 1), 5)
    ELSE split_part(split_part(split_part(split_part(split_part(lower(referrer), '://', 2), '/', 1), '?', 1), '#', 1), ':', 1)
  END
$$;

-- Adds (sign = 1) or removes (sign = -1) one judged session's contribution to the rollups. The project row is
-- key-share locked first, so a rebuild (which locks it for update) never misses or double-counts a concurrent delta,
-- and the time zone read here is the one the rollups are built in. Rows of a project being deleted are left alone.
CREATE FUNCTION loupe_rollup_session(s sessions, dir int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  tz text;
  gone timestamptz;
  d date;
  sc text;
  n int;
  prev date;
  nxt date;
BEGIN
  SELECT coalesce(p.settings->>'timeZone', 'UTC'), p.deleted_at INTO tz, gone FROM projects p WHERE p.id = s.project_id FOR KEY SHARE;
  IF NOT FOUND OR gone IS NOT NULL THEN RETURN; END IF;
  d := (s.started_at AT TIME ZONE tz)::date;

  INSERT INTO session_rollups (project_id, day, device, source, sessions, page_views, scroll_sum, duration_ms_sum, error_sessions,
                               active_ms_sum, rage_sessions, dead_sessions, error_click_sessions, excessive_sessions, quick_back_sessions)
  VALUES (s.project_id, d, s.device_class, loupe_source(s.referrer), dir, dir * s.page_count, dir * s.max_scroll_depth,
          dir * s.duration_ms, dir * (s.error_count > 0)::int, dir * s.active_ms, dir * (s.rage_clicks > 0)::int,
          dir * (s.dead_clicks > 0)::int, dir * (s.error_clicks > 0)::int, dir * (s.excessive_scrolls > 0)::int,
          dir * (s.quick_backs > 0)::int);

  INSERT INTO page_rollups (project_id, day, device, url, page_views, sessions)
  SELECT s.project_id, d, s.device_class, pv.url, dir * count(*), dir
    FROM page_views pv WHERE pv.project_id = s.project_id AND pv.session_id = s.id GROUP BY pv.url;

  INSERT INTO error_rollups (project_id, day, device, browser, message, url, errors, sessions)
  SELECT s.project_id, d, s.device_class, coalesce(s.browser, 'unknown'), e.message, e.url, dir * count(*),
         dir * (e.url = min(e.url) OVER (PARTITION BY e.message))::int
    FROM js_errors e WHERE e.project_id = s.project_id AND e.session_id = s.id GROUP BY e.message, e.url;

  -- A visitor's active days form a list per scope; the rollup counts each day with its predecessor, so inserting or
  -- removing a day re-links its successor. One visitor at a time (two sessions of a visitor may be judged at once).
  -- The visitor's row lock, not an advisory lock: a bulk delete of thousands of sessions would need one advisory lock
  -- each, and the shared lock table is small; row locks live in the row.
  PERFORM 1 FROM visitors v WHERE v.project_id = s.project_id AND v.id = s.visitor_id FOR NO KEY UPDATE;
  FOREACH sc IN ARRAY ARRAY['*', s.device_class::text] LOOP
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

CREATE FUNCTION loupe_sessions_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.analyzed_at IS NOT NULL THEN PERFORM loupe_rollup_session(OLD, -1); END IF;
  IF TG_OP <> 'DELETE' AND NEW.analyzed_at IS NOT NULL THEN PERFORM loupe_rollup_session(NEW, 1); END IF;
  RETURN NULL;
END
$$;

-- Only judged sessions are in the rollups: ingest (which writes unjudged sessions) never fires these.
CREATE TRIGGER sessions_rollup_insert AFTER INSERT ON sessions FOR EACH ROW WHEN (NEW.analyzed_at IS NOT NULL)
  EXECUTE FUNCTION loupe_sessions_rollup();
CREATE TRIGGER sessions_rollup_update AFTER UPDATE ON sessions FOR EACH ROW WHEN (OLD.analyzed_at IS NOT NULL OR NEW.analyzed_at IS NOT NULL)
  EXECUTE FUNCTION loupe_sessions_rollup();
CREATE TRIGGER sessions_rollup_delete AFTER DELETE ON sessions FOR EACH ROW WHEN (OLD.analyzed_at IS NOT NULL)
  EXECUTE FUNCTION loupe_sessions_rollup();

-- Recomputes a project's rollups from its judged sessions, set-based (first build, time-zone change, bench stores).
CREATE FUNCTION loupe_rebuild_rollups(p_project text) RETURNS void LANGUAGE plpgsql AS $$
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
    SELECT s.id, s.visitor_id, (s.started_at AT TIME ZONE tz)::date AS day, s.device_class AS device, coalesce(s.browser, 'unknown') AS browser
      FROM sessions s WHERE s.project_id = p_project AND s.analyzed_at IS NOT NULL;
  CREATE INDEX ON loupe_judged (id);
  ANALYZE loupe_judged;

  INSERT INTO session_rollups (project_id, day, device, source, sessions, page_views, scroll_sum, duration_ms_sum, error_sessions,
                               active_ms_sum, rage_sessions, dead_sessions, error_click_sessions, excessive_sessions, quick_back_sessions)
  SELECT p_project, (s.started_at AT TIME ZONE tz)::date, s.device_class, loupe_source(s.referrer), count(*), sum(s.page_count),
         sum(s.max_scroll_depth), sum(s.duration_ms), count(*) FILTER (WHERE s.error_count > 0), sum(s.active_ms),
         count(*) FILTER (WHERE s.rage_clicks > 0), count(*) FILTER (WHERE s.dead_clicks > 0), count(*) FILTER (WHERE s.error_clicks > 0),
         count(*) FILTER (WHERE s.excessive_scrolls > 0), count(*) FILTER (WHERE s.quick_backs > 0)
    FROM sessions s WHERE s.project_id = p_project AND s.analyzed_at IS NOT NULL GROUP BY 2, 3, 4;

  INSERT INTO page_rollups (project_id, day, device, url, page_views, sessions)
  SELECT p_project, j.day, j.device, x.url, sum(x.n), count(*)
    FROM (SELECT pv.session_id, pv.url, count(*) AS n FROM page_views pv WHERE pv.project_id = p_project GROUP BY 1, 2) x
    JOIN loupe_judged j ON j.id = x.session_id
   GROUP BY 2, 3, 4;

  INSERT INTO error_rollups (project_id, day, device, browser, message, url, errors, sessions)
  SELECT p_project, j.day, j.device, j.browser, x.message, x.url, sum(x.n), count(*) FILTER (WHERE x.first)
    FROM (SELECT e.session_id, e.message, e.url, count(*) AS n, e.url = min(e.url) OVER (PARTITION BY e.session_id, e.message) AS first
            FROM js_errors e WHERE e.project_id = p_project GROUP BY 1, 2, 3) x
    JOIN loupe_judged j ON j.id = x.session_id
   GROUP BY 2, 3, 4, 5, 6;

  INSERT INTO visitor_days (project_id, visitor_id, scope, day, sessions)
  SELECT p_project, j.visitor_id, sc.scope, j.day, count(*)
    FROM loupe_judged j CROSS JOIN LATERAL (VALUES ('*'), (j.device::text)) sc(scope)
   GROUP BY 2, 3, 4;

  INSERT INTO visitor_rollups (project_id, scope, day, prev_day, visitors)
  SELECT p_project, scope, day, prev, count(*)
    FROM (SELECT v.scope, v.day, coalesce(lag(v.day) OVER (PARTITION BY v.visitor_id, v.scope ORDER BY v.day), '-infinity'::date) AS prev
            FROM visitor_days v WHERE v.project_id = p_project) x
   GROUP BY 2, 3, 4;
  DROP TABLE loupe_judged;
END
$$;

-- Merges the delta rows of a project's rollups from `from_day` on into one row per key, dropping keys that sum to
-- nothing. Safe beside writers and another compactor: each statement only sums the rows it deleted itself.
CREATE FUNCTION loupe_compact_rollups(p_project text, from_day date) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  WITH del AS (
    DELETE FROM session_rollups r WHERE r.project_id = p_project AND r.day >= from_day
       AND (r.day, r.device, r.source) IN (SELECT day, device, source FROM session_rollups
                                            WHERE project_id = p_project AND day >= from_day GROUP BY 1, 2, 3 HAVING count(*) > 1)
    RETURNING r.*)
  INSERT INTO session_rollups (project_id, day, device, source, sessions, page_views, scroll_sum, duration_ms_sum, error_sessions,
                               active_ms_sum, rage_sessions, dead_sessions, error_click_sessions, excessive_sessions, quick_back_sessions)
  SELECT p_project, day, device, source, sum(sessions), sum(page_views), sum(scroll_sum), sum(duration_ms_sum), sum(error_sessions),
         sum(active_ms_sum), sum(rage_sessions), sum(dead_sessions), sum(error_click_sessions), sum(excessive_sessions), sum(quick_back_sessions)
    FROM del GROUP BY day, device, source HAVING sum(sessions) <> 0;

  WITH del AS (
    DELETE FROM page_rollups r WHERE r.project_id = p_project AND r.day >= from_day
       AND (r.day, r.device, r.url) IN (SELECT day, device, url FROM page_rollups
                                         WHERE project_id = p_project AND day >= from_day GROUP BY 1, 2, 3 HAVING count(*) > 1)
    RETURNING r.*)
  INSERT INTO page_rollups (project_id, day, device, url, page_views, sessions)
  SELECT p_project, day, device, url, sum(page_views), sum(sessions) FROM del GROUP BY day, device, url HAVING sum(sessions) <> 0;

  WITH del AS (
    DELETE FROM error_rollups r WHERE r.project_id = p_project AND r.day >= from_day
       AND (r.day, r.device, r.browser, r.message, r.url) IN (
             SELECT day, device, browser, message, url FROM error_rollups
              WHERE project_id = p_project AND day >= from_day GROUP BY 1, 2, 3, 4, 5 HAVING count(*) > 1)
    RETURNING r.*)
  INSERT INTO error_rollups (project_id, day, device, browser, message, url, errors, sessions)
  SELECT p_project, day, device, browser, message, url, sum(errors), sum(sessions) FROM del
   GROUP BY day, device, browser, message, url HAVING sum(errors) <> 0;

  WITH del AS (
    DELETE FROM visitor_rollups r WHERE r.project_id = p_project AND r.day >= from_day
       AND (r.scope, r.day, r.prev_day) IN (SELECT scope, day, prev_day FROM visitor_rollups
                                             WHERE project_id = p_project AND day >= from_day GROUP BY 1, 2, 3 HAVING count(*) > 1)
    RETURNING r.*)
  INSERT INTO visitor_rollups (project_id, scope, day, prev_day, visitors)
  SELECT p_project, scope, day, prev_day, sum(visitors) FROM del GROUP BY scope, day, prev_day HAVING sum(visitors) <> 0;
END
$$;

SELECT loupe_rebuild_rollups(id) FROM projects WHERE deleted_at IS NULL;
