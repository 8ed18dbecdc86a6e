package dev.kerbex.kerberos;

import java.nio.file.Path;
import java.util.List;

/** Keytab files contributed by a component other than configuration (the demo realm). */
public interface KeytabSource {
    List<Path> keytabs();
}
