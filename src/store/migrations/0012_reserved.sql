-- reserved: this number is taken by another branch (placeholder, dropped at merge).
SELECT 1;
