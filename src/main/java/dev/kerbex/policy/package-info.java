/**
 * Exchange policies (SPEC §7): the model, its validation and a pure evaluator.
 *
 * <p>Nothing here performs I/O, reads the clock or depends on CDI, JAX-RS or JPA: the exchange use
 * case, the admin dry run and the declarative-file loader all call the same functions with the
 * facts of a request, the tenant's policies and the current instant.
 */
package dev.kerbex.policy;
