package dev.kerbex.store;

import java.sql.SQLException;

/**
 * Recognises PostgreSQL's unique-violation (SQLSTATE 23505) anywhere in a failure's causes: what two
 * concurrent creations of the same natural key run into at commit, after both passed their existence check.
 */
public final class UniqueViolation {
    private UniqueViolation() {
    }

    public static boolean isCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
