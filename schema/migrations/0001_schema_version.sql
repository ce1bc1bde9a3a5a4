-- The record of applied migrations (schema/migrator.cpp writes one row per
-- migration, in the same transaction as the migration itself).
CREATE TABLE schema_version (
  version    integer PRIMARY KEY,
  name       text        NOT NULL,
  checksum   text        NOT NULL,  -- SHA-256 of the migration's SQL, hex
  applied_at timestamptz NOT NULL DEFAULT now()
);
