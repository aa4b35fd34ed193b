-- Keeps the numbering whole on this branch: 0007 is another change's number (drop this file when that one lands).
SELECT 1;
