-- reserved: keeps the version numbers without a gap on this branch (another change owns number 6)
SELECT 1;
