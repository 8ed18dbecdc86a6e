-- SPEC §5a: a tenant's names for Active Directory group SIDs ({"S-1-5-21-...-1105": "ledger-readers"}).
ALTER TABLE tenant ADD COLUMN group_names jsonb NOT NULL DEFAULT '{}'::jsonb;
