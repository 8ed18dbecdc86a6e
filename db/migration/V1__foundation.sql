-- Kerbex schema: tenants and what belongs to them, signing keys, the replay cache and the audit trail.
-- Flyway is the only source of the schema; Hibernate validates it.

CREATE TABLE tenant (
    id                      varchar(63)  PRIMARY KEY,
    realms                  jsonb        NOT NULL DEFAULT '[]',
    services                jsonb        NOT NULL DEFAULT '[]',
    enctypes                jsonb        NOT NULL DEFAULT '[]',
    max_token_lifetime_s    integer      NOT NULL,
    s4u                     jsonb,
    created_at              timestamptz  NOT NULL DEFAULT now(),
    updated_at              timestamptz  NOT NULL DEFAULT now(),
    version                 bigint       NOT NULL DEFAULT 0,
    CONSTRAINT tenant_id_format CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$')
);

CREATE TABLE oauth_client (
    tenant_id           varchar(63)   NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    client_id           varchar(255)  NOT NULL,
    secret_hash         varchar(255),
    kerberos_principal  varchar(512),
    grant_types         jsonb         NOT NULL DEFAULT '[]',
    audiences           jsonb         NOT NULL DEFAULT '[]',
    -- token requests per second; NULL: kerbex.rate-limit.per-client-per-second
    rate_limit          integer,
    created_at          timestamptz   NOT NULL DEFAULT now(),
    updated_at          timestamptz   NOT NULL DEFAULT now(),
    version             bigint        NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, client_id)
);
CREATE UNIQUE INDEX oauth_client_kerberos_principal ON oauth_client (tenant_id, kerberos_principal)
    WHERE kerberos_principal IS NOT NULL;

CREATE TABLE trusted_issuer (
    tenant_id   varchar(63)    NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    issuer      varchar(1024)  NOT NULL,
    jwks_uri    varchar(2048),
    document    jsonb          NOT NULL,
    created_at  timestamptz    NOT NULL DEFAULT now(),
    updated_at  timestamptz    NOT NULL DEFAULT now(),
    version     bigint         NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, issuer)
);

CREATE TABLE policy (
    id          uuid          PRIMARY KEY,
    tenant_id   varchar(63)   NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    name        varchar(128)  NOT NULL,
    revision    integer       NOT NULL,
    document    jsonb         NOT NULL,
    created_at  timestamptz   NOT NULL DEFAULT now(),
    updated_at  timestamptz   NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name)
);

-- Immutable history: one row per change of a policy, never updated.
CREATE TABLE policy_revision (
    policy_id   uuid          NOT NULL,
    revision    integer       NOT NULL,
    tenant_id   varchar(63)   NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    name        varchar(128)  NOT NULL,
    document    jsonb,
    deleted     boolean       NOT NULL DEFAULT false,
    author      varchar(255)  NOT NULL,
    created_at  timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (policy_id, revision)
);

-- Signing keys, private halves encrypted (AES-GCM) under the configured key-encryption key.
CREATE TABLE signing_key (
    tenant_id       varchar(63)   NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    kid             varchar(64)   NOT NULL,
    algorithm       varchar(16)   NOT NULL,
    public_jwk      text          NOT NULL,
    private_key     bytea         NOT NULL,
    status          varchar(16)   NOT NULL,
    created_at      timestamptz   NOT NULL DEFAULT now(),
    retired_at      timestamptz,
    -- a retired key stays in the JWKS until every token it signed has expired
    published_until timestamptz,
    PRIMARY KEY (tenant_id, kid),
    CONSTRAINT signing_key_status CHECK (status IN ('active', 'retired'))
);
CREATE UNIQUE INDEX signing_key_one_active ON signing_key (tenant_id) WHERE status = 'active';

-- Cluster-wide replay cache: Kerberos authenticators (and later assertion and proof jti values).
CREATE TABLE replay_entry (
    kind        varchar(16)   NOT NULL,
    key_hash    bytea         NOT NULL,
    expires_at  timestamptz   NOT NULL,
    PRIMARY KEY (kind, key_hash)
);
CREATE INDEX replay_entry_expiry ON replay_entry (expires_at);

CREATE TABLE audit_event (
    id                    bigserial     PRIMARY KEY,
    occurred_at           timestamptz   NOT NULL,
    tenant_id             varchar(63)   NOT NULL,
    kind                  varchar(32)   NOT NULL,
    outcome               varchar(16)   NOT NULL,
    error                 varchar(64),
    reason                text,
    request_id            varchar(64),
    source_address        varchar(64),
    client_id             varchar(255),
    subject               varchar(1024),
    subject_token_type    varchar(128),
    requested_token_type  varchar(128),
    audiences             jsonb         NOT NULL DEFAULT '[]',
    resources             jsonb         NOT NULL DEFAULT '[]',
    scopes                varchar(2048),
    policy_id             uuid,
    policy_revision       integer,
    jti                   varchar(64),
    expires_at            timestamptz,
    details               jsonb,
    CONSTRAINT audit_event_outcome CHECK (outcome IN ('issued', 'refused', 'error', 'success', 'failure'))
);
CREATE INDEX audit_event_tenant_time ON audit_event (tenant_id, occurred_at DESC, id DESC);
