-- reserved: number 8 belongs to a branch merged before this one (drop this file at merge)
SELECT 1;
