-- A memo section's save as one function call (src/memos/service.ts, saveSection). Its statement's plan is kept by the
-- session after the first call: on the embedded database, where every statement of every submission runs one after
-- another, planning the same statement for each submission cost about as much as running it (measured: 3.3-4.0 ms of
-- CPU for the statement sent each time, 1.7-1.9 ms through this function).
--
-- It writes only when the memo is not cancelled, the writer may write the section (its owner, the memo's creator, or
-- an admin: p_admin), the memo's template is one of p_fits (the templates whose limit for this section the text meets,
-- counted by the caller) and the section still has the revision the writer saw (a concurrent writer of the same
-- revision waits for this one, then matches nothing). With the write: the revision is kept, the memo's version moves,
-- and a memo that was approved (locked, or any approval given) is unlocked with every approval reset. Every part sees
-- the memo as it was before the statement. No row: nothing was written (the caller reads why).
CREATE FUNCTION "memo_section_save"("p_memo_id" INTEGER, "p_key" TEXT, "p_fits" TEXT[], "p_user" TEXT, "p_admin" BOOLEAN, "p_text" TEXT, "p_base" INTEGER)
RETURNS TABLE ("revision" INTEGER, "version" INTEGER, "unlocked" BOOLEAN, "template_id" TEXT, "channel" TEXT, "tracking_ts" TEXT, "created_by" TEXT, "owners" TEXT[], "approvers" TEXT[])
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH allowed AS (
         SELECT m0.locked_at IS NOT NULL OR EXISTS (SELECT 1 FROM memo_approval WHERE memo_id = m0.id AND approved_at IS NOT NULL) AS approved
           FROM memo m0 JOIN memo_section s0 ON s0.memo_id = m0.id AND s0.key = p_key
          WHERE m0.id = p_memo_id AND m0.state <> 'cancelled' AND m0.template_id = ANY(p_fits)
            AND (s0.owner_id = p_user OR m0.created_by = p_user OR p_admin)),
       s AS (
         UPDATE memo_section
            SET text = p_text, revision = p_base + 1, state = CASE WHEN state = 'final' THEN 'final' ELSE 'drafted' END,
                updated_by = p_user, updated_at = now()
          WHERE memo_id = p_memo_id AND key = p_key AND revision = p_base AND EXISTS (SELECT 1 FROM allowed)
         RETURNING id, revision, text),
       r AS (
         INSERT INTO memo_revision (section_id, revision, text, author, created_at)
         SELECT id, revision, text, p_user, now() FROM s),
       m AS (
         UPDATE memo SET version = version + 1, locked_at = NULL, updated_at = now()
          WHERE id = p_memo_id AND EXISTS (SELECT 1 FROM s)
         RETURNING version, template_id, channel, tracking_ts, created_by),
       a AS (
         UPDATE memo_approval SET approved_at = NULL, memo_version = NULL
          WHERE memo_id = p_memo_id AND EXISTS (SELECT 1 FROM s) AND (SELECT approved FROM allowed))
  SELECT s.revision, m.version, (SELECT approved FROM allowed), m.template_id, m.channel, m.tracking_ts, m.created_by,
         ARRAY(SELECT owner_id FROM memo_section WHERE memo_id = p_memo_id),
         ARRAY(SELECT approver FROM memo_approval WHERE memo_id = p_memo_id)
    FROM s, m;
END
$$;
