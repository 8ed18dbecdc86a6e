package dev.kerbex.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Reads CPU time and resident memory of processes from Linux's /proc: utime + stime of /proc/PID/stat (every thread
 * of the process), VmRSS of /proc/PID/status, and the machine's busy share from /proc/stat. A PostgreSQL server is
 * metered as its postmaster plus every child (backends, WAL writer, checkpointer), the postmaster's reaped children
 * included (cutime + cstime).
 */
final class ProcessMeter {
    /** Clock ticks per second of /proc's times; getconf CLK_TCK, 100 on every Linux this runs on. */
    static final double TICKS = Double.parseDouble(System.getProperty("bench.clk-tck", "100"));

    private ProcessMeter() {
    }

    /** CPU seconds used so far by {@code pid} (all its threads); NaN without such a process. */
    static double cpuSeconds(long pid) {
        long[] f = stat(pid);
        return f == null ? Double.NaN : (f[0] + f[1]) / TICKS;
    }

    /** CPU seconds used so far by a PostgreSQL server: the postmaster, its live children and its reaped ones. */
    static double treeCpuSeconds(long pid) {
        long[] root = stat(pid);
        if (root == null) {
            return Double.NaN;
        }
        long ticks = root[0] + root[1] + root[2] + root[3];
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long[] f = stat(Long.parseLong(name));
                if (f != null && f[4] == pid) {
                    ticks += f[0] + f[1];
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return ticks / TICKS;
    }

    /** Resident set size in MiB (VmRSS); NaN without such a process. */
    static double rssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** {busy, total} jiffies of the whole machine since boot (/proc/stat's first line; iowait counts as idle). */
    static long[] machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** {utime, stime, cutime, cstime, ppid} in ticks, or null. The command name may hold spaces: split after ')'. */
    private static long[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17.
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]),
                Long.parseLong(f[14]), Long.parseLong(f[1])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
