-- sign-in guards: failures and locks by the name typed
-- Sign-in failures counted by the name typed, known or not, so a locked account and an unknown name answer
-- alike; the counter is taken before a password is checked (see AuthService::reserveAttempt).
CREATE TABLE login_guards (
  username TEXT PRIMARY KEY,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT,
  updated_at TEXT NOT NULL
);
CREATE INDEX login_guards_updated ON login_guards (updated_at);
INSERT INTO login_guards (username, failed_attempts, locked_until, updated_at)
  SELECT username, failed_attempts, locked_until, created_at FROM users
  WHERE failed_attempts > 0 OR locked_until IS NOT NULL;
