package dev.kerbex.admin;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/** The admin writes' transactions in production: a new JTA transaction each, committed when the work returns. */
@ApplicationScoped
class QuarkusTransactions implements AdminWrites.Transactions {
    @Override
    public <T> T requiringNew(Supplier<T> work) {
        return QuarkusTransaction.requiringNew().call(work::get);
    }
}
