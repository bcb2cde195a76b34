package io.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * How the commands that talk to the control plane ({@code database}, {@code branch}, {@code password},
 * {@code deploy-request}, {@code shell}) find it: {@code --control URL
 * --token T}, or the {@code "control"} of {@code DIR/cluster.json} ({@code --data-dir DIR}, default
 * {@code ./arbor-data}); and how they print ({@code --format}).
 */
final class ControlArgs {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** For request bodies. */
    static final JsonNodeFactory JSON_NODES = JsonNodeFactory.instance;

    @Option(names = "--data-dir", defaultValue = "arbor-data",
            description = "The data dir of the running cluster (`arbor up --data-dir`), whose cluster.json says where the"
                    + " control plane listens and holds its token (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--control", paramLabel = "URL", description = "The control plane's URL, e.g. http://127.0.0.1:8081"
            + " (instead of cluster.json; needs --token).")
    String control;

    @Option(names = "--token", defaultValue = "${env:ARBOR_CONTROL_TOKEN}",
            description = "The control plane's service token (default: ARBOR_CONTROL_TOKEN, else cluster.json's).")
    String token;

    @Option(names = "--org", defaultValue = "local", description = "The organization (a local cluster has one; default: ${DEFAULT-VALUE}).")
    String organization;

    @Option(names = "--format", defaultValue = "human",
            description = "human (a table) or json (the API's own objects) (default: ${DEFAULT-VALUE}).")
    MigrationView.Format format;

    ControlClient client() {
        String t = token == null || token.isEmpty() ? null : token;
        if (control != null) {
            if (t == null) {
                throw new CommandFailure("--control " + control + " needs --token (or ARBOR_CONTROL_TOKEN)");
            }
            return new ControlClient(URI.create(control.endsWith("/") ? control : control + "/"), t, organization);
        }
        Path file = dataDir.resolve("cluster.json").toAbsolutePath();
        JsonNode json;
        try {
            json = JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new CommandFailure("no cluster is running on " + dataDir.toAbsolutePath() + " (there is no " + file
                    + "): start one with `./arbor up --data-dir " + dataDir + "`, pass the --data-dir it runs on, or"
                    + " --control URL --token T");
        } catch (IOException e) {
            throw new CommandFailure("cannot read " + file + ": " + e.getMessage(), e);
        }
        JsonNode c = json.path("control");
        if (!c.path("port").isInt() || !c.path("token").isTextual()) {
            throw new CommandFailure(file + " has no control plane address (\"control\": {\"port\", \"token\"}): the"
                    + " cluster runs an older arbor; restart it, or pass --control URL --token T");
        }
        return new ControlClient(URI.create("http://" + c.path("host").asText("127.0.0.1") + ":" + c.path("port").asInt() + "/"),
                t != null ? t : c.path("token").asText(), organization);
    }

    boolean json() {
        return format == MigrationView.Format.JSON;
    }

    /** Prints {@code node} as indented JSON. */
    static void printJson(PrintWriter out, JsonNode node) {
        try {
            out.println(JSON.writeValueAsString(node));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }
}
