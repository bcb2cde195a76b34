package io.arbor.cli;

import picocli.CommandLine.Command;

/** {@code arbor branch safe-migrations enable | disable DATABASE BRANCH}. */
@Command(name = "safe-migrations", mixinStandardHelpOptions = true,
        description = {"Turn a branch's safe migrations on or off. With them on, direct DDL on the branch is refused:"
                + " schema changes reach it through deploy requests."},
        subcommands = {SafeMigrationsCommand.Enable.class, SafeMigrationsCommand.Disable.class},
        footer = {"", DatabaseCommand.EXIT_CODES})
final class SafeMigrationsCommand extends CommandGroup {
    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Turn safe migrations on.",
            footer = {"", DatabaseCommand.EXIT_CODES})
    static final class Enable extends BranchCommand.BranchPost {
        @Override
        String endpoint() {
            return "safe-migrations";
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Turn safe migrations off.",
            footer = {"", DatabaseCommand.EXIT_CODES})
    static final class Disable extends BranchCommand.OnBranch {
        @Override
        int run(ControlClient client) {
            print(client.delete(where.path(client, "safe-migrations")));
            return 0;
        }
    }
}
