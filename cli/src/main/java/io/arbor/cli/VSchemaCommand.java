package io.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code arbor vschema apply | show DATABASE BRANCH}: a keyspace's vschema, in Vitess's JSON format. */
@Command(name = "vschema", mixinStandardHelpOptions = true,
        description = {"A branch's vschema (Vitess's JSON format): how its sharded keyspace's tables are spread by"
                + " vindexes, which tables are reference tables, which sequences hand out ids."},
        subcommands = {VSchemaCommand.Apply.class, VSchemaCommand.Show.class},
        footer = {"", DatabaseCommand.EXIT_CODES})
final class VSchemaCommand extends CommandGroup {
    @Command(name = "apply", mixinStandardHelpOptions = true, footer = {"", DatabaseCommand.EXIT_CODES},
            description = {"Validate a vschema file against the branch's tables and store it: queries use it at once.",
                    "An invalid vschema is refused with the reason (INVALID_VSCHEMA: unknown vindex, missing column,"
                            + " a vindex type that does not fit the column, a sequence table not marked as sequence ...)."})
    static final class Apply extends ControlCall {
        @Mixin
        BranchRef where;
        @Parameters(index = "2", paramLabel = "FILE", description = "The vschema, a JSON file in Vitess's format.")
        Path file;
        @Option(names = "--dry-run", description = "Validate only; store nothing.")
        boolean dryRun;

        @Override
        int run(ControlClient client) {
            String json;
            try {
                json = Files.readString(file);
            } catch (IOException e) {
                throw new CommandFailure("cannot read " + file + ": " + e.getMessage());
            }
            JsonNode stored = client.put(where.path(client, "vschema") + (dryRun ? "?dry_run=true" : ""), json);
            if (json()) {
                ControlArgs.printJson(out(), stored);
            } else {
                out().println((dryRun ? "valid (not applied): " : "applied: ") + stored.path("tables").size() + " tables, "
                        + stored.path("vindexes").size() + " vindexes");
                out().flush();
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, footer = {"", DatabaseCommand.EXIT_CODES},
            description = "Print the branch's vschema as stored (JSON).")
    static final class Show extends ControlCall {
        @Mixin
        BranchRef where;

        @Override
        int run(ControlClient client) {
            ControlArgs.printJson(out(), client.get(where.path(client, "vschema")));
            return 0;
        }
    }
}
