package dev.kerbex.bench;

import dev.kerbex.embedded.EmbeddedDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The figures of docs/audit-retention.md: deleting one month of audit events in batches (what
 * {@code AuditRetention} does) against dropping a monthly partition, on a durable embedded PostgreSQL (fsync on).
 * Run by hand: {@code java -cp target/test-classes:target/classes:$(cat cp.txt) dev.kerbex.bench.AuditPurgeBench [rowsPerMonth]}.
 */
public final class AuditPurgeBench {
    private static final String COLUMNS = """
            occurred_at timestamptz NOT NULL, tenant_id varchar(63) NOT NULL, kind varchar(32) NOT NULL,
            outcome varchar(16) NOT NULL, error varchar(64), reason text, request_id varchar(64), client_id varchar(255),
            subject varchar(1024), audiences jsonb NOT NULL DEFAULT '[]', scopes varchar(2048), jti varchar(64)""";
    private static final String FILL = """
            INSERT INTO %s (occurred_at, tenant_id, kind, outcome, request_id, client_id, subject, audiences, scopes, jti)
            SELECT timestamptz '2026-01-01' + (g * interval '1 second') * (6 * 30 * 86400 / %d),
                   'tenant-' || (g %% 20), 'token', 'issued', md5(g::text), 'client-' || (g %% 50),
                   'user' || (g %% 1000) || '@CORP.EXAMPLE.TEST', '["https://api.example.test"]', 'orders:read', md5((g+1)::text)
            FROM generate_series(1, %d) g""";

    public static void main(String[] args) throws Exception {
        int perMonth = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int total = perMonth * 6;
        Path dir = Files.createTempDirectory("kerbex-purge-bench");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("pg"));
                Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE plain (id bigserial PRIMARY KEY, " + COLUMNS + ")");
            s.execute("CREATE INDEX plain_tenant_time ON plain (tenant_id, occurred_at DESC, id DESC)");
            long t0 = System.nanoTime();
            s.execute(FILL.formatted("plain", total, total));
            double fillWithout = seconds(t0);
            s.execute("TRUNCATE plain");
            s.execute("CREATE INDEX plain_occurred_at ON plain (occurred_at)");
            t0 = System.nanoTime();
            s.execute(FILL.formatted("plain", total, total));
            double fillWith = seconds(t0);
            s.execute("VACUUM ANALYZE plain");
            System.out.printf("insert %d rows: %.2f s without the occurred_at index, %.2f s with it (+%.0f %%)%n", total,
                    fillWithout, fillWith, (fillWith / fillWithout - 1) * 100);

            Instant cutoff = Instant.parse("2026-01-31T00:00:00Z");
            long wal0 = wal(s);
            t0 = System.nanoTime();
            long deleted = 0;
            int batches = 0;
            try (PreparedStatement ps = c.prepareStatement("""
                    DELETE FROM plain WHERE id IN (
                        SELECT id FROM plain WHERE occurred_at < ? ORDER BY occurred_at LIMIT 5000)""")) {
                ps.setTimestamp(1, Timestamp.from(cutoff));
                int n;
                do {
                    n = ps.executeUpdate();
                    deleted += n;
                    batches++;
                } while (n == 5000);
            }
            double purge = seconds(t0);
            long purgeWal = wal(s) - wal0;
            System.out.printf("batch purge: %d rows in %d batches of 5000, %.2f s, %.0f rows/s, WAL %.1f MiB (%.0f bytes/row)%n",
                    deleted, batches, purge, deleted / purge, purgeWal / 1048576.0, (double) purgeWal / deleted);

            s.execute("CREATE TABLE parted (id bigserial, " + COLUMNS + ") PARTITION BY RANGE (occurred_at)");
            for (int m = 1; m <= 7; m++) {
                s.execute("CREATE TABLE parted_%d PARTITION OF parted FOR VALUES FROM ('2026-%02d-01') TO ('2026-%02d-01')"
                        .formatted(m, m, m + 1));
            }
            s.execute("CREATE INDEX parted_tenant_time ON parted (tenant_id, occurred_at DESC, id DESC)");
            s.execute(FILL.formatted("parted", total, total));
            long rows;
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM parted_1")) {
                rs.next();
                rows = rs.getLong(1);
            }
            wal0 = wal(s);
            t0 = System.nanoTime();
            s.execute("ALTER TABLE parted DETACH PARTITION parted_1");
            s.execute("DROP TABLE parted_1");
            double drop = seconds(t0);
            long dropWal = wal(s) - wal0;
            System.out.printf("partition drop: %d rows, %.3f s, WAL %.1f KiB%n", rows, drop, dropWal / 1024.0);
        }
    }

    private static double seconds(long started) {
        return (System.nanoTime() - started) / 1e9;
    }

    private static long wal(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
