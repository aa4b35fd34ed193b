-- An inbox message names the screen it is about ("/problems/7", "/letters?letter=12", "/projects/3?tab=report"), so
-- the web UI opens it directly instead of guessing from the message's words. Empty for older messages.
ALTER TABLE inbox_messages ADD COLUMN link TEXT NOT NULL DEFAULT '';
