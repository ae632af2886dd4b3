-- after a `CREATE TABLE`.
create collation case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
