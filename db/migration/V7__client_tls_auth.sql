-- RFC 8705 client authentication (issue 10): the method a client must use (null: any of the secret, private_key_jwt
-- and Kerberos self-exchange methods, as before V7), and for tls_client_auth the one subject DN or SAN entry its
-- certificate must carry, as {"tls_client_auth_san_dns": "..."} (the RFC 8705 §2.1.2 metadata names).
ALTER TABLE oauth_client ADD COLUMN token_endpoint_auth_method text;
ALTER TABLE oauth_client ADD COLUMN tls_client_auth jsonb;
