package dev.kerbex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kerbex audit tail}: the tenant's latest audit events, oldest first, and with {@code --follow} new ones. */
@Command(name = "audit", description = "The tenant's audit trail.", subcommands = AuditCommand.Tail.class)
final class AuditCommand {

    /**
     * Shows the last {@code --limit} events matching the filters, oldest first. {@code --follow} then polls: each poll
     * asks for the events from the newest one shown on ({@code from}, inclusive), reads every page through the API's
     * {@code next_cursor}, and prints those not shown yet (by id), so nothing is repeated or skipped when several
     * events share a timestamp. With {@code -o json}, one JSON object per line.
     */
    @Command(name = "tail", description = "Show the latest audit events; --follow for new ones as they come.")
    static final class Tail extends Base {
        @Option(names = {"-n", "--limit"}, defaultValue = "20", paramLabel = "N", description = "How many (1-500; default 20).")
        int limit;

        @Option(names = {"-f", "--follow"}, description = "Keep polling for new events (Ctrl-C to stop).")
        boolean follow;

        @Option(names = "--interval", defaultValue = "PT2S", paramLabel = "DURATION",
                description = "Polling interval with --follow, ISO-8601 (default PT2S).")
        Duration interval;

        @Option(names = "--polls", hidden = true, paramLabel = "N", description = "Stop after N polls (tests).")
        Integer polls;

        @Option(names = "--outcome", paramLabel = "OUTCOME", description = "issued|refused|error|success|failure.")
        String outcome;

        @Option(names = "--kind", paramLabel = "KIND", description = "token_exchange|introspection|revocation|admin.")
        String kind;

        @Option(names = "--client", paramLabel = "CLIENT_ID")
        String client;

        @Option(names = "--subject", paramLabel = "SUBJECT", description = "Exactly as recorded.")
        String subject;

        @Option(names = "--audience", paramLabel = "AUDIENCE")
        String audience;

        @Option(names = "--since", paramLabel = "INSTANT", description = "Only events at or after this ISO-8601 instant.")
        String since;

        private final Set<String> shown = new HashSet<>();
        private String newest;
        private int[] widths = new int[0];

        @Override
        public Integer call() {
            AdminApi api = api();
            String path = AdminApi.tenantPath(tenant(), "audit-events");
            JsonNode page = api.get(path + AdminApi.query(filters(since, Integer.toString(limit), null))).body();
            List<JsonNode> first = new ArrayList<>();
            page.path("events").forEach(first::add);
            Collections.reverse(first);
            print(first, true);
            for (int n = 0; follow && (polls == null || n < polls); n++) {
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break; // stopped from outside: what was shown stands
                }
                List<JsonNode> fresh = new ArrayList<>();
                String cursor = null;
                do {
                    JsonNode p = api.get(path + AdminApi.query(filters(newest != null ? newest : since, "500", cursor))).body();
                    p.path("events").forEach(fresh::add);
                    cursor = p.hasNonNull("next_cursor") ? p.get("next_cursor").asText() : null;
                } while (cursor != null);
                Collections.reverse(fresh);
                print(fresh, false);
            }
            return ExitCodes.OK;
        }

        private Map<String, String> filters(String from, String pageLimit, String cursor) {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("from", from);
            q.put("outcome", outcome);
            q.put("kind", kind);
            q.put("client_id", client);
            q.put("subject", subject);
            q.put("audience", audience);
            q.put("limit", pageLimit);
            q.put("cursor", cursor);
            return q;
        }

        /** Events oldest first; the header only before the first batch of a table. */
        private void print(List<JsonNode> events, boolean header) {
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode e : events) {
                if (!shown.add(e.path("id").asText())) {
                    continue;
                }
                newest = e.path("occurred_at").asText();
                if (json()) {
                    out().println(e.toString());
                } else {
                    rows.add(List.of(Output.text(e, "occurred_at"), Output.text(e, "kind"), Output.text(e, "outcome"),
                            Output.text(e, "client_id").isEmpty() ? Output.text(e, "actor") : Output.text(e, "client_id"),
                            Output.text(e, "subject"), Output.text(e, "audiences"), reason(e)));
                }
            }
            if (!json() && (header || !rows.isEmpty())) {
                // The header once, before the first batch; later batches keep (or widen) its columns.
                widths = Output.table(out(), header ? List.of("TIME", "KIND", "OUTCOME", "CLIENT/ACTOR", "SUBJECT",
                        "AUDIENCES", "REASON") : null, rows, widths);
            }
            out().flush();
        }

        private static String reason(JsonNode e) {
            String error = Output.text(e, "error");
            String reason = Output.text(e, "reason");
            return error.isEmpty() ? reason : error + ": " + reason;
        }
    }
}
