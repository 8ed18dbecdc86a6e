package dev.kerbex.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Prints PostgreSQL's transaction id counter and WAL position ({@code xid=N wal=BYTES}), read at once (no statistics
 * delay): taken before and after a run, their differences are write transactions and WAL bytes per exchange.
 */
public final class PgCounters {
    private PgCounters() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0], "postgres", "postgres");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT pg_current_xact_id()::text::bigint, pg_current_wal_lsn() - '0/0'::pg_lsn")) {
            rs.next();
            System.out.println(rs.getLong(1) + " " + rs.getLong(2));
        }
    }
}
