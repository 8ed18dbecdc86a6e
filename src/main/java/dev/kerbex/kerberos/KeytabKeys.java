package dev.kerbex.kerberos;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Service keys from one or more MIT keytab files (SPEC §5). A file is re-read when its modification
 * time, size or identity changes; the check runs on lookup and at most once per second. A file that
 * fails to parse keeps the keys it had before, so a half-written keytab never locks clients out.
 * Keys are chosen by principal, enctype and kvno, so a keytab holding two kvnos of one principal
 * verifies tickets issued under either (key rotation).
 *
 * <p>The MIT keytab format is parsed here rather than by Kerby: it is small, and a hand-written
 * parser bounds every length against the file, which matters for a file that may be mid-replace.
 */
public final class KeytabKeys {

    private static final Logger LOG = Logger.getLogger(KeytabKeys.class);
    private static final long CHECK_INTERVAL_MILLIS = 1000;
    /** Far above any real keytab; keeps a wrong path (a disk image, say) from being read whole. */
    private static final long MAX_FILE_SIZE = 16L * 1024 * 1024;

    /**
     * One key. {@code principal} is {@code name[/instance]@REALM}; {@code kvno8} marks an entry that
     * carries only the 8-bit kvno of the original format, which matches a ticket's kvno modulo 256.
     */
    record Key(String principal, int enctype, int kvno, boolean kvno8, byte[] keyData, long writtenEpochSecond) {

        boolean matchesKvno(int ticketKvno) {
            return kvno == ticketKvno || (kvno8 && kvno == (ticketKvno & 0xff));
        }
    }

    private record Stamp(Object fileKey, long modifiedMillis, long size) {
    }

    private record Loaded(Stamp stamp, List<Key> keys) {
    }

    private final List<Path> files;
    private final Clock clock;
    private final Map<Path, Loaded> loaded = new LinkedHashMap<>();
    private volatile List<Key> keys = List.of();
    private volatile long nextCheckMillis = Long.MIN_VALUE;

    public KeytabKeys(List<Path> files, Clock clock) {
        this.files = List.copyOf(Objects.requireNonNull(files, "files"));
        this.clock = Objects.requireNonNull(clock, "clock");
        refreshIfDue();
    }

    /** The principals that currently have keys, for readiness checks and diagnostics. */
    public Set<String> principals() {
        refreshIfDue();
        Set<String> names = new TreeSet<>();
        for (Key key : keys) {
            names.add(key.principal());
        }
        return Collections.unmodifiableSet(names);
    }

    /** For each principal, when its newest entry was written into the keytab (the key's age, for health checks). */
    public Map<String, Instant> newestEntries() {
        refreshIfDue();
        Map<String, Instant> newest = new TreeMap<>();
        for (Key key : keys) {
            newest.merge(key.principal(), Instant.ofEpochSecond(key.writtenEpochSecond()),
                    (a, b) -> a.isAfter(b) ? a : b);
        }
        return Collections.unmodifiableMap(newest);
    }

    /**
     * The key of {@code principal} for {@code enctype} and {@code kvno}; with {@code kvno} absent
     * (negative), the highest kvno of that enctype.
     */
    Optional<Key> find(String principal, int enctype, int kvno) {
        refreshIfDue();
        Key best = null;
        for (Key key : keys) {
            if (key.enctype() != enctype || !key.principal().equals(principal)) {
                continue;
            }
            if (kvno >= 0) {
                if (key.matchesKvno(kvno)) {
                    return Optional.of(key);
                }
            } else if (best == null || key.kvno() > best.kvno()) {
                best = key;
            }
        }
        return Optional.ofNullable(best);
    }

    private void refreshIfDue() {
        long now = clock.millis();
        if (now < nextCheckMillis) {
            return;
        }
        synchronized (this) {
            if (now < nextCheckMillis) {
                return;
            }
            nextCheckMillis = now + CHECK_INTERVAL_MILLIS;
            boolean changed = false;
            for (Path file : files) {
                changed |= refresh(file);
            }
            if (changed || keys.isEmpty()) {
                List<Key> all = new ArrayList<>();
                for (Loaded l : loaded.values()) {
                    all.addAll(l.keys());
                }
                keys = List.copyOf(all);
            }
        }
    }

    /** Re-reads one file if it changed; returns whether its keys changed. */
    private boolean refresh(Path file) {
        Loaded previous = loaded.get(file);
        Stamp stamp;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            stamp = new Stamp(attributes.fileKey(), attributes.lastModifiedTime().toMillis(), attributes.size());
        } catch (IOException e) {
            if (previous == null || previous.stamp() != null) {
                LOG.warnf("keytab %s cannot be read (%s); keeping %d previously loaded keys",
                        file, e.getClass().getSimpleName(), previous == null ? 0 : previous.keys().size());
                loaded.put(file, new Loaded(null, previous == null ? List.of() : previous.keys()));
            }
            return false;
        }
        if (previous != null && stamp.equals(previous.stamp())) {
            return false;
        }
        try {
            if (stamp.size() > MAX_FILE_SIZE) {
                throw new IOException("file larger than " + MAX_FILE_SIZE + " bytes");
            }
            List<Key> parsed = parse(Files.readAllBytes(file));
            loaded.put(file, new Loaded(stamp, parsed));
            LOG.infof("loaded keytab %s: %d keys", file, parsed.size());
            return true;
        } catch (IOException | RuntimeException e) {
            // Remember the stamp so a corrupt file is reported once, not every second.
            List<Key> kept = previous == null ? List.of() : previous.keys();
            loaded.put(file, new Loaded(stamp, kept));
            LOG.warnf("keytab %s does not parse (%s); keeping %d previously loaded keys",
                    file, e.getMessage(), kept.size());
            return false;
        }
    }

    /**
     * Parses an MIT keytab (format 0x0502, and 0x0501 which counts the realm among the components and
     * has no name type). Every length is checked against the remaining bytes.
     */
    static List<Key> parse(byte[] content) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(content);
        if (in.remaining() < 2 || in.get() != 0x05) {
            throw new IOException("not a keytab file");
        }
        int version = in.get();
        if (version != 0x01 && version != 0x02) {
            throw new IOException("unsupported keytab version " + version);
        }
        List<Key> keys = new ArrayList<>();
        while (in.remaining() >= 4) {
            int size = in.getInt();
            if (size == 0) {
                break;
            }
            if (size < 0) {
                // A hole left by a deleted entry.
                skip(in, -(long) size);
                continue;
            }
            if (size > in.remaining()) {
                throw new IOException("keytab entry overruns the file");
            }
            ByteBuffer entry = in.slice();
            entry.limit(size);
            in.position(in.position() + size);
            keys.add(entry(entry, version));
        }
        if (in.hasRemaining() && in.remaining() < 4) {
            throw new IOException("trailing bytes in keytab");
        }
        return List.copyOf(keys);
    }

    private static Key entry(ByteBuffer in, int version) throws IOException {
        try {
            int components = in.getShort() & 0xffff;
            if (version == 0x01) {
                components--;
            }
            if (components < 1) {
                throw new IOException("keytab entry without a principal name");
            }
            String realm = string(in);
            StringBuilder name = new StringBuilder();
            for (int i = 0; i < components; i++) {
                if (i > 0) {
                    name.append('/');
                }
                name.append(string(in));
            }
            if (version == 0x02) {
                in.getInt(); // name type
            }
            long written = Integer.toUnsignedLong(in.getInt()); // when the entry was written (seconds, unsigned)
            int kvno = in.get() & 0xff;
            boolean kvno8 = true;
            int enctype = in.getShort() & 0xffff;
            int keyLength = in.getShort() & 0xffff;
            if (keyLength > in.remaining()) {
                throw new IOException("keytab key overruns its entry");
            }
            byte[] keyData = new byte[keyLength];
            in.get(keyData);
            // MIT extension: a 32-bit kvno after the key, which wins when present and non-zero.
            if (in.remaining() >= 4) {
                int kvno32 = in.getInt();
                if (kvno32 != 0) {
                    kvno = kvno32;
                    kvno8 = false;
                }
            }
            return new Key(name + "@" + realm, enctype, kvno, kvno8, keyData, written);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IOException("truncated keytab entry");
        }
    }

    private static String string(ByteBuffer in) throws IOException {
        int length = in.getShort() & 0xffff;
        if (length > in.remaining()) {
            throw new IOException("keytab string overruns its entry");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void skip(ByteBuffer in, long count) throws IOException {
        if (count > in.remaining()) {
            throw new IOException("keytab hole overruns the file");
        }
        in.position(in.position() + (int) count);
    }
}
