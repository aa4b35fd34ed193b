-- Outgoing webhooks (DingTalk and WeCom group robots), per county, and their outbox.
-- A notification enqueues one delivery per enabled webhook subscribed to its event, in the transaction of the
-- action that caused it; the delivery job posts due deliveries off the request path and logs every attempt.
-- secret: DingTalk's 加签 secret, never returned by the API. events: a JSON array of event names.
CREATE TABLE webhooks (
  id {{ID}},
  region_code TEXT NOT NULL REFERENCES regions(code),
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  url TEXT NOT NULL,
  secret TEXT NOT NULL DEFAULT '',
  events TEXT NOT NULL DEFAULT '[]',
  enabled INTEGER NOT NULL DEFAULT 1,
  created_by {{BIGINT}} REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX webhooks_region ON webhooks (region_code, id);
-- status: pending | delivered | failed. next_attempt_at: when a pending delivery is due; a claimed one is pushed
-- a lease ahead, so a server that stops mid-post retries it after the lease.
CREATE TABLE webhook_deliveries (
  id {{ID}},
  region_code TEXT NOT NULL REFERENCES regions(code),
  webhook_id {{BIGINT}} NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  event TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  last_error TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  delivered_at TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at, id);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (webhook_id, id);
-- One row per attempt: the HTTP status (null when none came back) or the error, and how long it took.
CREATE TABLE webhook_attempts (
  id {{ID}},
  delivery_id {{BIGINT}} NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
  attempted_at TEXT NOT NULL,
  http_status INTEGER,
  error TEXT NOT NULL DEFAULT '',
  ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
