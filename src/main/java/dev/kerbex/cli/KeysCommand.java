package dev.kerbex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code kerbex keys list|rotate}: the tenant's token signing keys (never their private halves). */
@Command(name = "keys", description = "Signing keys of a tenant.",
        subcommands = {KeysCommand.ListKeys.class, KeysCommand.Rotate.class})
final class KeysCommand {

    @Command(name = "list", description = "List the signing keys, newest first.")
    static final class ListKeys extends Base {
        @Override
        public Integer call() {
            JsonNode keys = api().get(AdminApi.tenantPath(tenant(), "keys")).body();
            return show(keys, () -> {
                List<List<String>> rows = new ArrayList<>();
                keys.forEach(k -> rows.add(List.of(Output.text(k, "kid"), Output.text(k, "algorithm"),
                        Output.text(k, "status"), Output.text(k, "created_at"), Output.text(k, "published_until"))));
                Output.table(out(), List.of("KID", "ALGORITHM", "STATUS", "CREATED_AT", "PUBLISHED_UNTIL"), rows);
            });
        }
    }

    @Command(name = "rotate", description = "Make a new active key; the previous one stays published while its tokens live.")
    static final class Rotate extends Base {
        @Override
        public Integer call() {
            JsonNode key = api().postEmpty(AdminApi.tenantPath(tenant(), "keys", "rotate"), null).body();
            return show(key, () -> out().printf("new active key %s (%s)%n", key.path("kid").asText(),
                    key.path("algorithm").asText()));
        }
    }
}
