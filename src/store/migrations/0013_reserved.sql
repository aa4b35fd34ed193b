-- reserved: this number belongs to another branch; this file keeps the sequence gapless and is dropped at merge.
-- (a statement, not a comment alone: PostgreSQL answers an empty script with an error)
SELECT 1;
