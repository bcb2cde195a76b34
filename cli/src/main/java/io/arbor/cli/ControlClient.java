package io.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * The control plane's REST API as the CLI calls it ({@link HttpClient}, blocking): paths under
 * {@code /v1/organizations/{org}/databases}, the service token as a bearer token. An error answer becomes a
 * {@link CommandFailure} carrying the API's own message; an unreachable control plane says where it looked.
 */
final class ControlClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String token;
    private final String organization;

    ControlClient(URI base, String token, String organization) {
        this.base = requireNonNull(base, "base is null");
        this.token = requireNonNull(token, "token is null");
        this.organization = requireNonNull(organization, "organization is null");
    }

    /** The path of {@code segments} under the organization's databases, each segment URL-encoded. */
    String databases(String... segments) {
        StringBuilder sb = new StringBuilder("/v1/organizations/").append(encode(organization)).append("/databases");
        for (String s : segments) {
            sb.append('/').append(encode(s));
        }
        return sb.toString();
    }

    /** The path of one item of a database's {@code collection}, then {@code more}: {@code databases(db, collection, item, more...)}. */
    String item(String database, String collection, String item, String... more) {
        String[] segments = new String[3 + more.length];
        segments[0] = database;
        segments[1] = collection;
        segments[2] = item;
        System.arraycopy(more, 0, segments, 3, more.length);
        return databases(segments);
    }

    /** {@code path}, with a query string once the segments are encoded: {@code get(databases("app", "x") + "?state=open")}. */
    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), path);
    }

    JsonNode post(String path, JsonNode body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body.toString())), path);
    }

    JsonNode patch(String path, JsonNode body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body == null ? "" : body.toString())), path);
    }

    /** A PUT of a raw body (a vschema's JSON as the user wrote it, sent as is). */
    JsonNode put(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)), path);
    }

    /** Answers {@code {}} for a 204. */
    JsonNode delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE(), path);
    }

    private URI uri(String path) {
        return base.resolve(path);
    }

    private JsonNode send(HttpRequest.Builder request, String path) {
        HttpResponse<String> response;
        try {
            response = http.send(request.header("Authorization", "Bearer " + token).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new CommandFailure("cannot reach the control plane at " + base + " (is `arbor up` running? it prints"
                    + " the address, and cluster.json has it)", e);
        } catch (IOException e) {
            throw new CommandFailure("the control plane at " + base + " did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure("interrupted", e);
        }
        JsonNode body = null;
        if (!response.body().isEmpty()) {
            try {
                body = JSON.readTree(response.body());
            } catch (IOException e) {
                throw new CommandFailure("the control plane answered " + response.statusCode() + " with no JSON to " + path, e);
            }
        }
        if (response.statusCode() >= 400) {
            String code = body == null ? "" : body.path("code").asText("");
            String message = body == null ? "" : body.path("message").asText("");
            throw new CommandFailure((message.isEmpty() ? "HTTP " + response.statusCode() : message)
                    + (code.isEmpty() ? "" : " (" + code + ")"));
        }
        return body == null ? JSON.createObjectNode() : body;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
