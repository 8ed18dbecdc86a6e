package dev.kerbex.kerberos;

import org.apache.kerby.asn1.EnumType;

/**
 * The field enums of the Kerberos types Kerby 2.1.1 lacks: a field's context tag ({@code [n]}) is its
 * ordinal, its name the constant's, so each type declares its fields in tag order and nothing else.
 */
interface ContextTag extends EnumType {

    int ordinal();

    String name();

    @Override
    default int getValue() {
        return ordinal();
    }

    @Override
    default String getName() {
        return name();
    }
}
