package dev.kerbex.admin;

/** An admin API answer and the version it shows, sent as its {@code ETag}. */
record Tagged<T>(T body, long version) {
}
