package dev.kerbex.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Active Directory domain AD.KERBEX.TEST: a Samba 4 AD DC that {@code scripts/samba-ad.sh} provisions from
 * scratch on 127.0.0.2 (installing the Debian packages when they are missing). Only for *IT tests. The SIDs are read
 * back from the directory ({@code sids.env}), never assumed.
 */
public final class SambaAd implements AutoCloseable {
    public static final String REALM = "AD.KERBEX.TEST";
    public static final String KERBEX = "HTTP/kerbex.ad.kerbex.test@AD.KERBEX.TEST";
    public static final String ALICE = "alice@AD.KERBEX.TEST";
    public static final String ALICE_PASSWORD = "alice-Passw0rd";
    public static final String BOB = "bob@AD.KERBEX.TEST";
    public static final String BOB_PASSWORD = "bob-Passw0rd";
    /** The DC's DNS server, which serves the domain's SRV records (_kerberos._udp/_tcp.AD.KERBEX.TEST). */
    public static final String DNS = "127.0.0.2:53";
    /** The target Kerbex's account may delegate to ({@code samba-tool delegation add-service}). */
    public static final String POSTGRES = "postgres/db.ad.kerbex.test@AD.KERBEX.TEST";
    /** A target it may not delegate to. */
    public static final String WEB = "HTTP/web.ad.kerbex.test@AD.KERBEX.TEST";

    private final Path dir;
    private final Map<String, String> sids;

    private SambaAd(Path dir, Map<String, String> sids) {
        this.dir = dir;
        this.sids = sids;
    }

    public static SambaAd start() throws IOException, InterruptedException {
        Path dir = Path.of("target", "samba-ad").toAbsolutePath();
        run("scripts/samba-ad.sh", "start", dir.toString());
        Map<String, String> sids = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("sids.env"))) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                sids.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new SambaAd(dir, Map.copyOf(sids));
    }

    /** A SID read back from the directory: DOMAIN_SID, ALICE_SID, BOB_SID, LEDGER_READERS_SID, LEDGER_WRITERS_SID. */
    public String sid(String name) {
        String sid = sids.get(name);
        if (sid == null || sid.isBlank()) {
            throw new IllegalStateException("no " + name + " in " + dir.resolve("sids.env"));
        }
        return sid;
    }

    public Path keytab(String name) {
        return dir.resolve(name + ".keytab");
    }

    public Path krb5Conf() {
        return dir.resolve("krb5.conf");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("scripts/samba-ad.sh", "stop", dir.toString());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }
}
