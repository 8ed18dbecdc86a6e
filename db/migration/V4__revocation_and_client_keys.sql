-- Issue 5: revoked tokens (RFC 7009) and clients' public keys for private_key_jwt (RFC 7523).

-- One row per revoked token of a tenant, by its jti. The token's own exp is kept so that a row can be purged
-- once the token would be refused as expired anyway. The primary key is what the token endpoint and the
-- introspection endpoint look up on every JWT of the tenant (no cache): an index probe.
CREATE TABLE revoked_token (
    tenant_id   varchar(63)   NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    jti         varchar(255)  NOT NULL,
    client_id   varchar(255)  NOT NULL,
    expires_at  timestamptz   NOT NULL,
    revoked_at  timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, jti)
);
CREATE INDEX revoked_token_expiry ON revoked_token (expires_at);

-- A client's public keys (an inline JWK Set, RFC 7517 §5) for private_key_jwt; NULL when it registered none.
ALTER TABLE oauth_client ADD COLUMN jwks jsonb;
