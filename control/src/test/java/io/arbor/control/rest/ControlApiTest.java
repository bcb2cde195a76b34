package io.arbor.control.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.arbor.control.ControlPlane;
import io.arbor.topo.LocalTopoStore;
import io.arbor.topo.PasswordHashes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ControlApiTest {
    private static final String BASE = "/v1/organizations/any/databases";
    @TempDir
    Path dir;
    private LocalTopoStore topo;
    private ControlPlane control;
    private ControlApi api;

    @BeforeEach
    void setUp() {
        topo = new LocalTopoStore(dir.resolve("topo.json"));
        control = new ControlPlane(topo, dir);
        control.ensureDatabase("app");
        api = new ControlApi(control, "s3cret", "127.0.0.1:3306");
    }

    @AfterEach
    void tearDown() {
        control.close();
        topo.close();
    }

    private ControlApi.Response call(String method, String path, String body) {
        return api.handle(new ControlApi.Request(method, path, "Bearer s3cret", body));
    }

    @Test
    void refusesRequestsWithoutTheTokenAndTakesPlanetScalesForm() {
        assertThat(api.handle(new ControlApi.Request("GET", BASE, null, null)).status()).isEqualTo(401);
        assertThat(api.handle(new ControlApi.Request("GET", BASE, "Bearer nope", null)).status()).isEqualTo(401);
        ControlApi.Response ps = api.handle(new ControlApi.Request("GET", BASE, "svc123:s3cret", null));
        assertThat(ps.status()).isEqualTo(200);
        assertThat(ps.body().path("data").get(0).path("name").asText()).isEqualTo("app");
    }

    @Test
    void databasesAndBranches() {
        ControlApi.Response created = call("POST", BASE, "{\"name\": \"shop\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().path("name").asText()).isEqualTo("shop");
        assertThat(created.body().path("state").asText()).isEqualTo("pending");
        assertThat(call("POST", BASE, "{\"name\": \"shop\"}").body().path("code").asText()).isEqualTo("already_exists");
        assertThat(call("POST", BASE, "{\"name\": \"shop\"}").status()).isEqualTo(409);
        assertThat(call("POST", BASE, "{").status()).isEqualTo(400);
        assertThat(call("POST", BASE, "{}").body().path("code").asText()).isEqualTo("invalid_argument");
        assertThat(call("GET", BASE + "/nope", null).status()).isEqualTo(404);
        assertThat(call("GET", BASE + "/app", null).body().path("state").asText()).isEqualTo("ready");

        JsonNode branch = call("POST", BASE + "/app/branches", "{\"name\": \"dev\", \"parent_branch\": \"main\"}").body();
        assertThat(branch.path("name").asText()).isEqualTo("dev");
        assertThat(branch.path("parent_branch").asText()).isEqualTo("main");
        assertThat(branch.path("production").asBoolean()).isFalse();
        assertThat(branch.path("ready").asBoolean()).isFalse();
        assertThat(branch.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(call("POST", BASE + "/app/branches", "{\"name\": \"dev\"}").status()).isEqualTo(409);
        assertThat(call("POST", BASE + "/app/branches", "{\"name\": \"x\", \"parent_branch\": \"nope\"}").status()).isEqualTo(404);
        assertThat(call("POST", BASE + "/nope/branches", "{\"name\": \"x\"}").status()).isEqualTo(404);
        assertThat(call("GET", BASE + "/app/branches", null).body().path("data")).hasSize(2);
        assertThat(call("GET", BASE + "/app/branches/dev", null).body().path("id").asText()).isEqualTo(branch.path("id").asText());
        assertThat(call("GET", BASE + "/app/branches/zzz", null).status()).isEqualTo(404);
        assertThat(call("POST", BASE + "/app/branches/dev/promote", null).body().path("safe_migrations").asBoolean()).isTrue();
        assertThat(call("DELETE", BASE + "/app/branches/dev/safe-migrations", null).body().path("safe_migrations").asBoolean())
                .isFalse();
        JsonNode demoted = call("POST", BASE + "/app/branches/dev/demote", null).body();
        assertThat(demoted.path("production").asBoolean()).isFalse();
        assertThat(call("PUT", BASE + "/app/branches/dev/promote", null).status()).isEqualTo(405);
        assertThat(call("GET", BASE + "/app/branches/dev/nope", null).status()).isEqualTo(404);
        assertThat(call("DELETE", BASE + "/app/branches/main", null).status()).isEqualTo(422);
        assertThat(call("DELETE", BASE + "/app/branches/dev", null).status()).isEqualTo(204);
        assertThat(call("GET", BASE + "/app/branches/dev", null).status()).isEqualTo(404);
        assertThat(call("GET", BASE + "/app/deploy-requests", null).body().path("data")).isEmpty();
        assertThat(call("GET", BASE + "/app/deploy-requests/7", null).status()).isEqualTo(404);
        assertThat(call("GET", BASE + "/app/deploy-requests/x", null).status()).isEqualTo(404);
        assertThat(call("POST", BASE + "/app/deploy-requests", "{\"branch\": \"nope\"}").status()).isEqualTo(404);
        assertThat(call("GET", BASE + "/app/deploy-queue", null).body().path("data")).isEmpty();
        assertThat(call("GET", "/v2/whatever", null).status()).isEqualTo(404);
    }

    @Test
    void passwords() {
        String passwords = BASE + "/app/branches/main/passwords";
        ControlApi.Response created = call("POST", passwords, "{\"name\": \"ci\", \"ttl\": 3600}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode p = created.body();
        assertThat(p.path("role").asText()).isEqualTo("admin");
        assertThat(p.path("plain_text").asText()).hasSize(20);
        assertThat(p.path("ttl_seconds").asLong()).isEqualTo(3600);
        assertThat(p.path("expires_at").isTextual()).isTrue();
        assertThat(p.path("database_branch").path("name").asText()).isEqualTo("main");
        String id = p.path("id").asText();
        assertThat(topo.read().credential(p.path("username").asText()).orElseThrow().hashes())
                .isEqualTo(PasswordHashes.of(p.path("plain_text").asText()));

        assertThat(call("POST", passwords, "{\"name\": \"ci\"}").status()).isEqualTo(409);
        ControlApi.Response reader = call("POST", passwords, "{\"name\": \"r\", \"role\": \"owner\"}");
        assertThat(reader.status()).isEqualTo(422);
        assertThat(reader.body().path("message").asText()).contains("role 'owner' does not exist");
        assertThat(call("POST", passwords, "{\"name\": \"t\", \"ttl\": \"soon\"}").status()).isEqualTo(400);

        JsonNode shown = call("GET", passwords + "/" + id, null).body();
        assertThat(shown.has("plain_text")).as("shown once").isFalse();
        assertThat(call("GET", passwords, null).body().path("data")).hasSize(1);
        JsonNode renewed = call("POST", passwords + "/" + id + "/renew", null).body();
        assertThat(renewed.path("plain_text").asText()).isNotEqualTo(p.path("plain_text").asText());
        assertThat(renewed.path("id").asText()).isEqualTo(id);
        assertThat(call("DELETE", passwords + "/" + id, null).status()).isEqualTo(204);
        assertThat(call("GET", passwords + "/" + id, null).status()).isEqualTo(404);
        assertThat(call("DELETE", passwords + "/" + id, null).status()).isEqualTo(404);
        assertThat(call("GET", BASE + "/app/branches/nope/passwords", null).status()).isEqualTo(404);
    }
}
