-- Admin audit events (kind 'admin') name who made the change; the token endpoint's rows leave it NULL.
ALTER TABLE audit_event ADD COLUMN actor varchar(255);
CREATE INDEX policy_revision_tenant ON policy_revision (tenant_id, policy_id, revision);
