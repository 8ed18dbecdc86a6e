-- Trusted issuers get an opaque id for the admin API's paths (an issuer URL makes an awkward path segment);
-- (tenant_id, issuer) stays unique: it is the declarative file's natural key.
ALTER TABLE trusted_issuer ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE trusted_issuer DROP CONSTRAINT trusted_issuer_pkey;
ALTER TABLE trusted_issuer ADD PRIMARY KEY (id);
ALTER TABLE trusted_issuer ADD CONSTRAINT trusted_issuer_tenant_issuer UNIQUE (tenant_id, issuer);
