-- photos as evidence: stored once per content hash (sha256), linked to the projects they were uploaded for and
-- to the reports that cite them. photo_blobs holds the bytes when the database is the photo storage (base64
-- text, so both databases keep them the same way); with the directory storage it stays empty.
CREATE TABLE photos (
  hash TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  bytes {{BIGINT}} NOT NULL,
  taken_at TEXT,
  lat {{REAL}},
  lng {{REAL}},
  created_at TEXT NOT NULL
);
CREATE TABLE project_photos (
  project_id {{BIGINT}} NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  hash TEXT NOT NULL REFERENCES photos(hash),
  region_code TEXT NOT NULL REFERENCES regions(code),
  uploaded_by {{BIGINT}} REFERENCES users(id),
  uploaded_at TEXT NOT NULL,
  PRIMARY KEY (project_id, hash)
);
CREATE INDEX project_photos_hash ON project_photos (hash, region_code);
CREATE TABLE report_photos (
  report_id {{BIGINT}} NOT NULL REFERENCES progress_reports(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  hash TEXT NOT NULL REFERENCES photos(hash),
  PRIMARY KEY (report_id, position)
);
CREATE TABLE photo_blobs (
  hash TEXT NOT NULL,
  variant TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (hash, variant)
);
