-- The retention purge (kerbex.audit.retention) deletes the oldest events first, across tenants: without this index each
-- batch would scan the table. One more index per audit insert; see docs/audit-retention.md for the measured cost.
CREATE INDEX audit_event_occurred_at ON audit_event (occurred_at);
