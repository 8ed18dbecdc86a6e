package dev.kerbex.bench;

import dev.kerbex.bench.CompareLoad.Row;
import dev.kerbex.bench.CompareLoad.Target;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Writes bench/compare.sh's chart as a self-contained SVG (no plotting library here): two panels side by side,
 * throughput and p99 latency against client threads (log2 axis), one line per measured path.
 */
final class CompareChart {
    private static final int PANEL_W = 440;
    private static final int PANEL_H = 300;
    private static final int LEFT = 70;
    private static final int TOP = 60;
    private static final int GAP = 90;

    private CompareChart() {
    }

    static String svg(List<Row> rows, String title) {
        List<Integer> threads = rows.stream().map(Row::threads).distinct().sorted().toList();
        List<Target> targets = rows.stream().map(Row::target).distinct().sorted().toList();
        List<String> titleLines = wrap(title.isBlank() ? "Token exchange under load" : title, 150);
        int shift = 18 * (titleLines.size() - 1);
        int width = LEFT + 2 * PANEL_W + GAP + 30;
        int height = TOP + shift + PANEL_H + 60 + 22 * ((targets.size() + 1) / 2) + 20;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        for (int i = 0; i < titleLines.size(); i++) {
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                    LEFT, 22 + 18 * i, esc(titleLines.get(i))));
        }
        s.append(String.format(Locale.ROOT, "<g transform=\"translate(0,%d)\">%n", shift));
        panel(s, rows, threads, targets, LEFT, "throughput (exchanges/s, higher is better)", Row::throughput);
        panel(s, rows, threads, targets, LEFT + PANEL_W + GAP, "p99 latency (ms, lower is better)", Row::p99);
        int ly = TOP + PANEL_H + 50;
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            int x = LEFT + (i % 2) * (PANEL_W + GAP);
            int y = ly + 22 * (i / 2);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-width=\"3\"/><text x=\"%d\" y=\"%d\">%s</text>%n", x, y - 4, x + 28, y - 4, t.color,
                    x + 36, y, esc(t.label)));
        }
        s.append("</g>\n</svg>\n");
        return s.toString();
    }

    private static void panel(StringBuilder s, List<Row> rows, List<Integer> threads, List<Target> targets, int x0,
                              String caption, ToDoubleFunction<Row> value) {
        double max = rows.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).max().orElse(1);
        double step = niceStep(max / 5);
        double top = Math.ceil(max / step) * step;
        int y0 = TOP + PANEL_H;
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", x0, TOP - 12,
                esc(caption)));
        for (double v = 0; v <= top + step / 2; v += step) {
            double y = y0 - v / top * PANEL_H;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", x0, y, x0 + PANEL_W, y, x0 - 6, y + 4,
                    label(v, step)));
        }
        for (int t : threads) {
            double x = xOf(t, threads, x0);
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", x, y0, x, y0 + 5, x, y0 + 19, t));
        }
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", x0, TOP, x0, y0, x0, y0,
                x0 + PANEL_W, y0));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">client threads</text>%n",
                x0 + PANEL_W / 2, y0 + 36));
        for (Target target : targets) {
            StringBuilder points = new StringBuilder();
            for (Row r : rows) {
                double v = value.applyAsDouble(r);
                if (r.target() == target && !Double.isNaN(v)) {
                    double x = xOf(r.threads(), threads, x0);
                    double y = y0 - v / top * PANEL_H;
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                    s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\">"
                            + "<title>%s, %d threads: %s</title></circle>%n", x, y, target.color, esc(target.label),
                            r.threads(), label(v, step / 10)));
                }
            }
            s.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" "
                    + "stroke-width=\"2\"/>%n", points.toString().trim(), target.color));
        }
    }

    /** Client threads on a log2 axis, the smallest count at the left edge, the largest at the right. */
    private static double xOf(int t, List<Integer> threads, int x0) {
        double lo = log2(threads.get(0));
        double hi = log2(threads.get(threads.size() - 1));
        double span = hi > lo ? hi - lo : 1;
        return x0 + 20 + (log2(t) - lo) / span * (PANEL_W - 40);
    }

    private static double log2(int v) {
        return Math.log(v) / Math.log(2);
    }

    private static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= raw) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String label(double v, double step) {
        return step >= 1 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** Splits {@code text} at ", " into lines of at most {@code width} characters (a longer piece stays whole). */
    private static List<String> wrap(String text, int width) {
        List<String> lines = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String piece : text.split(", ")) {
            if (line.length() > 0 && line.length() + 2 + piece.length() > width) {
                lines.add(line.append(',').toString());
                line = new StringBuilder();
            }
            line.append(line.length() > 0 ? ", " : "").append(piece);
        }
        lines.add(line.toString());
        return lines;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
