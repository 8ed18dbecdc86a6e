package dev.kerbex.admin;

/** Who is writing, and the request's id and source address: what every admin audit event of a write names. */
record AdminOperation(AdminCaller caller, String requestId, String source) {
}
