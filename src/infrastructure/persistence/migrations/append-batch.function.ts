/**
 * PostgreSQL's append of a group of streams in one statement (one round trip, its own
 * transaction), written once: `runMigrations` creates or replaces it whenever this text changes.
 * Expected versions: -1 any, 0 no stream, n the stream's current version. Data and metadata come
 * as one JSON array each (cheaper to send than arrays of jsonb). Returns, per append (1-based),
 * the stream's version before it and the positions written (NULL if refused). Each event's hash
 * chains the previous one's (see hash-chain.ts), computed inside the append lock. The last position
 * written is announced on channel `orch_log` (delivered at commit) to wake the other processes.
 */
export const APPEND_BATCH_FUNCTION = `CREATE OR REPLACE FUNCTION orch_append_batch(p_streams text[], p_expected int[], p_counts int[], p_ids uuid[], p_types text[],
  p_schema_versions int[], p_data jsonb, p_metadata jsonb, p_projects text[])
RETURNS TABLE (append_index int, actual int, positions bigint[])
LANGUAGE plpgsql AS $fn$
DECLARE
  heads jsonb := '{}'::jsonb;
  offs int := 0;
  cur int;
  n int;
  prev text;
  pos bigint;
  d jsonb;
  m jsonb;
  seq text := pg_get_serial_sequence('events', 'position');
BEGIN
  -- Held until commit, i.e. until these events are visible: positions become visible in order.
  PERFORM pg_advisory_xact_lock(7262001);
  SELECT e.hash INTO prev FROM events e ORDER BY e.position DESC LIMIT 1;
  prev := coalesce(prev, '');
  FOR i IN 1 .. coalesce(array_length(p_streams, 1), 0) LOOP
    n := p_counts[i];
    IF heads ? p_streams[i] THEN
      cur := (heads ->> p_streams[i])::int;
    ELSE
      SELECT coalesce((SELECT e.version FROM events e WHERE e.stream = p_streams[i] ORDER BY e.version DESC LIMIT 1), 0) INTO cur;
    END IF;
    append_index := i;
    actual := cur;
    IF p_expected[i] = -1 OR p_expected[i] = cur THEN
      positions := ARRAY[]::bigint[];
      FOR k IN 1 .. n LOOP
        pos := nextval(seq);
        d := p_data -> (offs + k - 1);
        m := p_metadata -> (offs + k - 1);
        prev := encode(sha256(convert_to(concat_ws(E'\n', prev, pos::text, p_ids[offs + k]::text, p_streams[i], (cur + k)::text,
                  p_types[offs + k], p_schema_versions[offs + k]::text, d::text, m::text), 'UTF8')), 'hex');
        INSERT INTO events (position, id, stream, version, type, schema_version, data, metadata, project_id, hash)
        VALUES (pos, p_ids[offs + k], p_streams[i], cur + k, p_types[offs + k], p_schema_versions[offs + k], d, m, p_projects[offs + k], prev);
        positions := positions || pos;
      END LOOP;
      heads := heads || jsonb_build_object(p_streams[i], cur + n);
    ELSE
      positions := NULL;
    END IF;
    offs := offs + n;
    RETURN NEXT;
  END LOOP;
  IF pos IS NOT NULL THEN
    PERFORM pg_notify('orch_log', pos::text);
  END IF;
END
$fn$`;
