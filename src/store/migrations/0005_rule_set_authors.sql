-- rule sets: author, in-force index
-- Rule sets of every kind (lifecycle, later lights, letters, deadlines, rankings) name who stored each version;
-- the in-force lookup (newest effective date on or before a day) reads one index range.
ALTER TABLE rule_sets ADD COLUMN author TEXT NOT NULL DEFAULT '';
CREATE INDEX rule_sets_in_force ON rule_sets (region_code, kind, effective_from, version);
