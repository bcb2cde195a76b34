package io.arbor.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code arbor database} and {@code arbor branch} against a fake control plane: requests, output, exit codes. */
class BranchCommandsTest {
    private final FakeControlApi api;

    BranchCommandsTest() throws IOException {
        api = new FakeControlApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    static String branch(String name, boolean ready, String seedProgress) {
        return """
                {"id":"b-%s","type":"Branch","name":"%s","parent_branch":"main","production":false,"ready":%s,
                 "safe_migrations":false,"sharded":false,"mysql_address":"127.0.0.1:3306","seed_data":true,
                 "seed_progress":%s,"created_at":"2026-12-01T14:00:00.000Z","updated_at":"2026-12-01T14:00:00.000Z",
                 "database":{"id":"app","name":"app"}}""".formatted(name, name, ready, seedProgress);
    }

    @Test
    void databaseDeleteSendsDeleteAndSaysSo() {
        api.on("DELETE", "app", 204);
        FakeControlApi.Run run = api.run("database", "delete", "app");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("Database app deleted.\n");
        assertThat(api.call("DELETE", "app").authorization()).isEqualTo("Bearer " + FakeControlApi.TOKEN);
    }

    @Test
    void databaseDeleteOfAMissingDatabaseFailsWithTheApiMessage() {
        api.fail("DELETE", "nope", 404, "not_found", "no database nope");
        FakeControlApi.Run run = api.run("database", "delete", "nope", "--force");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("arbor: no database nope (not_found)\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void branchCreateSendsParentAndSeedDataAndWaitsThroughTheSeedProgress() {
        api.on("POST", "app/branches", 201, branch("dev", false, "null"));
        api.on("GET", "app/branches/dev", 200,
                branch("dev", false, "{\"tables_copied\":1,\"tables_total\":2,\"rows_copied\":500,\"rows_total\":1000}"),
                branch("dev", true, "null"));
        FakeControlApi.Run run = api.run("branch", "create", "app", "dev", "--from", "staging", "--seed-data", "--wait");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(api.call("POST", "app/branches").body())
                .isEqualTo("{\"name\":\"dev\",\"parent_branch\":\"staging\",\"seed_data\":true}");
        assertThat(run.out()).contains("name:            dev").contains("ready:           true");
        assertThat(run.err()).contains("seeding dev").contains("tables 1/2");
    }

    @Test
    void branchCreateWithoutSeedDataAsksForNone() {
        api.on("POST", "app/branches", 201, branch("dev", false, "null"));
        FakeControlApi.Run run = api.run("branch", "create", "app", "dev", "--format", "json");
        assertThat(run.exitCode()).isZero();
        assertThat(api.call("POST", "app/branches").body())
                .isEqualTo("{\"name\":\"dev\",\"parent_branch\":\"main\",\"seed_data\":false}");
        assertThat(run.out()).contains("\"seed_progress\" : null");
    }

    @Test
    void deletingMainIsRefusedWithExitStatus1() {
        api.fail("DELETE", "app/branches/main", 422, "unprocessable", "main cannot be deleted");
        FakeControlApi.Run run = api.run("branch", "delete", "app", "main");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("arbor: main cannot be deleted (unprocessable)\n");
    }

    @Test
    void promoteDemoteAndSafeMigrationsUseTheirEndpoints() {
        String b = branch("dev", true, "null");
        api.on("POST", "app/branches/dev/promote", 200, b).on("POST", "app/branches/dev/demote", 200, b)
                .on("POST", "app/branches/dev/safe-migrations", 200, b)
                .on("DELETE", "app/branches/dev/safe-migrations", 200, b)
                .on("POST", "app/branches/dev/refresh-schema", 200, b)
                .on("DELETE", "app/branches/dev", 204);
        assertThat(api.run("branch", "promote", "app", "dev").exitCode()).isZero();
        assertThat(api.run("branch", "demote", "app", "dev").exitCode()).isZero();
        assertThat(api.run("branch", "safe-migrations", "enable", "app", "dev").exitCode()).isZero();
        assertThat(api.run("branch", "safe-migrations", "disable", "app", "dev").exitCode()).isZero();
        assertThat(api.run("branch", "refresh-schema", "app", "dev").exitCode()).isZero();
        FakeControlApi.Run deleted = api.run("branch", "delete", "app", "dev", "--format", "json");
        assertThat(deleted.out()).contains("\"deleted\" : true");
        assertThat(api.calls()).extracting(c -> c.method() + " " + c.path().substring(FakeControlApi.ORG.length()))
                .containsExactly("POST /app/branches/dev/promote", "POST /app/branches/dev/demote",
                        "POST /app/branches/dev/safe-migrations", "DELETE /app/branches/dev/safe-migrations",
                        "POST /app/branches/dev/refresh-schema", "DELETE /app/branches/dev");
    }

    @Test
    void schemaPrintsEachCreateUnderItsHeader() {
        api.on("GET", "app/branches/dev/schema", 200, """
                {"data":[{"name":"users","type":"table","raw":"CREATE TABLE `users` (\\n  `id` int NOT NULL\\n)"},
                         {"name":"v","type":"view","raw":"CREATE VIEW `v` AS select 1;"}]}""");
        FakeControlApi.Run run = api.run("branch", "schema", "app", "dev");
        assertThat(run.out()).isEqualTo("""
                -- users --
                CREATE TABLE `users` (
                  `id` int NOT NULL
                );

                -- v --
                CREATE VIEW `v` AS select 1;

                """);
    }

    @Test
    void diffShowsLineChangesNewObjectsAllPlusDroppedAllMinus() {
        api.on("GET", "app/branches/dev/diff", 200, """
                {"data":[
                 {"name":"users","type":"table","operation":"alter","statement":"ALTER TABLE `users` ADD COLUMN `name` varchar(100)",
                  "from":"CREATE TABLE `users` (\\n  `id` int NOT NULL,\\n  PRIMARY KEY (`id`)\\n)",
                  "to":"CREATE TABLE `users` (\\n  `id` int NOT NULL,\\n  `name` varchar(100),\\n  PRIMARY KEY (`id`)\\n)"},
                 {"name":"orders","type":"table","operation":"create","statement":"CREATE TABLE `orders` (`id` int)",
                  "from":null,"to":"CREATE TABLE `orders` (\\n  `id` int\\n)"},
                 {"name":"old","type":"view","operation":"drop","statement":"DROP VIEW `old`",
                  "from":"CREATE VIEW `old` AS select 1","to":null}]}""");
        FakeControlApi.Run run = api.run("branch", "diff", "app", "dev");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                -- users --
                 CREATE TABLE `users` (
                   `id` int NOT NULL,
                +  `name` varchar(100),
                   PRIMARY KEY (`id`)
                 )

                -- orders --
                +CREATE TABLE `orders` (
                +  `id` int
                +)

                -- old --
                -CREATE VIEW `old` AS select 1

                """);
    }

    @Test
    void emptyDiffSaysSoAndJsonPrintsTheEntries() {
        api.on("GET", "app/branches/dev/diff", 200, "{\"data\":[]}");
        assertThat(api.run("branch", "diff", "app", "dev").out())
                .isEqualTo("branch app/dev has no schema changes against its parent.\n");
        assertThat(api.run("branch", "diff", "app", "dev", "--format", "json").out()).isEqualTo("[ ]\n");
    }

    @Test
    void lineDiffReplacesAChangedLine() {
        assertThat(SchemaView.lineDiff(List.of("a", "b", "c"), List.of("a", "B", "c")))
                .containsExactly(" a", "-b", "+B", " c");
    }

    @Test
    void lintExitsWithOneOnAnErrorAndZeroOnWarningsOnly() {
        String warning = "{\"lint_error\":\"NO_PRIMARY_KEY_NAME\",\"severity\":\"warning\",\"subject_type\":\"table\","
                + "\"table_name\":\"t\",\"column_name\":null,\"error_description\":\"consider it\"}";
        String error = "{\"lint_error\":\"NO_UNIQUE_KEY\",\"severity\":\"error\",\"subject_type\":\"table\","
                + "\"table_name\":\"logs\",\"column_name\":null,\"error_description\":\"table logs has no unique key\"}";
        api.on("GET", "app/branches/dev/schema/lint", 200, "{\"data\":[" + warning + "," + error + "]}");
        api.on("GET", "app/branches/ok/schema/lint", 200, "{\"data\":[" + warning + "]}");
        api.on("GET", "app/branches/clean/schema/lint", 200, "{\"data\":[]}");
        FakeControlApi.Run failing = api.run("branch", "lint", "app", "dev");
        assertThat(failing.exitCode()).isEqualTo(1);
        assertThat(failing.out()).isEqualTo("""
                SEVERITY  LINT ERROR           TABLE NAME  COLUMN NAME  ERROR DESCRIPTION
                warning   NO_PRIMARY_KEY_NAME  t           -            consider it
                error     NO_UNIQUE_KEY        logs        -            table logs has no unique key
                """);
        assertThat(api.run("branch", "lint", "app", "ok").exitCode()).isZero();
        FakeControlApi.Run clean = api.run("branch", "lint", "app", "clean");
        assertThat(clean.exitCode()).isZero();
        assertThat(clean.out()).isEqualTo("No lint errors in app/clean.\n");
        assertThat(api.run("branch", "lint", "app", "dev", "--format", "json").exitCode()).isEqualTo(1);
    }

    @Test
    void branchListPrintsATable() {
        api.on("GET", "app/branches", 200, "{\"data\":[" + branch("main", true, "null") + "]}");
        FakeControlApi.Run run = api.run("branch", "list", "app");
        assertThat(run.out()).startsWith("NAME  PARENT BRANCH  PRODUCTION  SAFE MIGRATIONS  READY  CREATED AT\n")
                .contains("main  main           false       false            true   2026-12-01T14:00:00.000Z");
    }

    @Test
    void passwordCommandsStillWork() {
        api.on("POST", "app/branches/dev/passwords", 201, """
                {"id":"p1","name":"ci","role":"reader","username":"u1","plain_text":"s3cret",
                 "access_host_url":"127.0.0.1:3306","database_branch":{"database":"app"}}""");
        FakeControlApi.Run run = api.run("password", "create", "app", "dev", "ci", "--role", "reader", "--ttl", "24h");
        assertThat(run.exitCode()).isZero();
        assertThat(api.call("POST", "app/branches/dev/passwords").body())
                .isEqualTo("{\"name\":\"ci\",\"role\":\"reader\",\"ttl\":86400}");
        assertThat(run.out()).contains("connect:  mysql -h 127.0.0.1 -P 3306 -u u1 -ps3cret app");
    }
}
