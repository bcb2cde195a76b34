package io.arbor.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code arbor shell}: the password it makes, the client's command line and environment, and the clean-up. */
class ShellCommandTest {
    private final FakeControlApi api;
    private final List<List<String>> commands = new ArrayList<>();
    private final List<Map<String, String>> environments = new ArrayList<>();

    ShellCommandTest() throws IOException {
        api = new FakeControlApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private FakeControlApi withClients(String... installed) {
        ProcessLauncher launcher = new ProcessLauncher() {
            @Override
            public Optional<Path> find(String program) {
                return List.of(installed).contains(program) ? Optional.of(Path.of("/usr/bin", program)) : Optional.empty();
            }

            @Override
            public int run(List<String> command, Map<String, String> environment) {
                commands.add(command);
                environments.add(environment);
                return 7;
            }
        };
        return api.factory(new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == ShellCommand.class ? type.cast(new ShellCommand(launcher)) : CommandLine.defaultFactory().create(type);
            }
        });
    }

    @Test
    void runsTheClientWithThePasswordInTheEnvironmentAndDeletesItAfter() {
        withClients("mariadb");
        api.on("POST", "app/branches/dev/passwords", 201, """
                {"id":"p9","name":"shell-x","role":"reader","username":"u9","plain_text":"s3cret",
                 "access_host_url":"gw.local:3307"}""");
        api.on("DELETE", "app/branches/dev/passwords/p9", 204);
        FakeControlApi.Run run = api.run("shell", "app", "dev", "--role", "reader");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(7);
        assertThat(api.calls().getFirst().body()).matches("\\{\"name\":\"shell-[0-9a-f]{8}\",\"role\":\"reader\",\"ttl\":3600}");
        assertThat(commands).containsExactly(List.of("/usr/bin/mariadb", "-h", "gw.local", "-P", "3307", "--protocol=TCP",
                "-u", "u9", "--prompt=app/dev> ", "app"));
        assertThat(environments).containsExactly(Map.of("MYSQL_PWD", "s3cret"));
        assertThat(String.join(" ", commands.getFirst())).doesNotContain("s3cret");
        assertThat(api.calls()).extracting(FakeControlApi.Call::method).containsExactly("POST", "DELETE");
    }

    @Test
    void prefersMysqlAndDefaultsToAdmin() {
        withClients("mysql", "mariadb");
        api.on("POST", "app/branches/main/passwords", 201, "{\"id\":\"p1\",\"username\":\"u1\",\"plain_text\":\"x\","
                + "\"access_host_url\":\"127.0.0.1:3306\"}");
        api.on("DELETE", "app/branches/main/passwords/p1", 204);
        api.run("shell", "app", "main");
        assertThat(commands.getFirst().getFirst()).isEqualTo("/usr/bin/mysql");
        assertThat(api.calls().getFirst().body()).contains("\"role\":\"admin\"");
    }

    @Test
    void noClientInstalledIsAClearErrorAndMakesNoPassword() {
        withClients();
        FakeControlApi.Run run = api.run("shell", "app", "dev");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("neither `mysql` nor `mariadb` is on the PATH");
        assertThat(api.calls()).isEmpty();
    }
}
