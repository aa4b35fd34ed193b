-- audit: one hash chain per region, keyed digests
-- Per-region audit chains. Entries already written (seq NULL) stay the "legacy" chain, verified as before and
-- frozen with audit_head; each region's chain starts from the legacy head's digest. `scheme` says whether an
-- entry's digest is plain SHA-256 or an HMAC under the key kept outside the database. On PostgreSQL ids come
-- from a sequence, so writers of different regions never wait for each other.
ALTER TABLE audit_log ADD COLUMN seq {{BIGINT}};
ALTER TABLE audit_log ADD COLUMN scheme TEXT NOT NULL DEFAULT 'sha256';
CREATE UNIQUE INDEX audit_region_seq ON audit_log (region_code, seq);
CREATE TABLE audit_heads (
  region_code TEXT PRIMARY KEY,
  last_seq {{BIGINT}} NOT NULL,
  last_id {{BIGINT}} NOT NULL,
  last_hash TEXT NOT NULL,
  keyed INTEGER NOT NULL DEFAULT 0
);
--pg-only CREATE SEQUENCE audit_log_id_seq;
--pg-only SELECT setval('audit_log_id_seq', COALESCE((SELECT MAX(id) FROM audit_log), 0) + 1, false);
