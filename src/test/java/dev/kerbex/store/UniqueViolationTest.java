package dev.kerbex.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class UniqueViolationTest {

    @Test
    void isCauseWhenNestedUniqueViolationThenTrue() {
        RuntimeException commit = new RuntimeException("commit failed",
                new IllegalStateException("flush", new SQLException("duplicate key", "23505")));
        assertThat(UniqueViolation.isCause(commit)).isTrue();
    }

    @Test
    void isCauseWhenOtherSqlStateOrNoSqlExceptionThenFalse() {
        assertThat(UniqueViolation.isCause(new RuntimeException(new SQLException("gone", "08006")))).isFalse();
        assertThat(UniqueViolation.isCause(new RuntimeException("plain"))).isFalse();
        assertThat(UniqueViolation.isCause(null)).isFalse();
    }
}
