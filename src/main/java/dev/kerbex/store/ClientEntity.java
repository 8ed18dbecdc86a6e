package dev.kerbex.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "oauth_client")
@IdClass(ClientEntity.Key.class)
class ClientEntity {
    @Id
    @Column(name = "tenant_id")
    String tenantId;

    @Id
    @Column(name = "client_id")
    String clientId;

    @Column(name = "secret_hash")
    String secretHash;

    @Column(name = "kerberos_principal")
    String kerberosPrincipal;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "grant_types")
    List<String> grantTypes;

    @JdbcTypeCode(SqlTypes.JSON)
    List<String> audiences;

    @Column(name = "rate_limit")
    Integer rateLimit;

    /** The client's public JWK Set for private_key_jwt; null when it registered none. */
    @JdbcTypeCode(SqlTypes.JSON)
    Map<String, Object> jwks;

    /** RFC 8705: the method the client must use; null: any but the TLS ones. */
    @Column(name = "token_endpoint_auth_method")
    String authMethod;

    /** RFC 8705 §2.1.2: the one subject DN or SAN entry a tls_client_auth certificate must carry. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "tls_client_auth")
    Map<String, String> tlsClientAuth;

    @Column(name = "created_at")
    Instant createdAt;

    @Column(name = "updated_at")
    Instant updatedAt;

    @Version
    long version;

    static final class Key implements Serializable {
        String tenantId;
        String clientId;

        Key() {
        }

        Key(String tenantId, String clientId) {
            this.tenantId = tenantId;
            this.clientId = clientId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(tenantId, k.tenantId) && Objects.equals(clientId, k.clientId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenantId, clientId);
        }
    }
}
