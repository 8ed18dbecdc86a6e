package dev.kerbex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code kerbex tenants list}. */
@Command(name = "tenants", description = "Tenants the token may see.", subcommands = TenantsCommand.ListTenants.class)
final class TenantsCommand {
    @Command(name = "list", description = "List the tenants.")
    static final class ListTenants extends Base {
        @Override
        public Integer call() {
            JsonNode tenants = api().get("/admin/v1/tenants").body();
            return show(tenants, () -> {
                List<List<String>> rows = new ArrayList<>();
                tenants.forEach(t -> rows.add(List.of(Output.text(t, "id"), Output.text(t, "realms"),
                        Output.text(t, "max_token_lifetime"))));
                Output.table(out(), List.of("ID", "REALMS", "MAX_TOKEN_LIFETIME"), rows);
            });
        }
    }
}
