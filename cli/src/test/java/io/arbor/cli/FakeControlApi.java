package io.arbor.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for the control plane's REST API: canned JSON per method and path (a sequence, for polling: each request
 * takes the next answer, the last one repeats), every request recorded. {@link #run} runs the real {@code arbor}
 * command line against it, in-process.
 */
final class FakeControlApi implements AutoCloseable {
    static final String ORG = "/v1/organizations/local/databases";
    static final String TOKEN = "test-token";

    /** A request as the fake received it: {@code path} with its query string. */
    record Call(String method, String path, String body, String authorization) {}

    /** What a command did: its exit status and what it printed. */
    record Run(int exitCode, String out, String err) {}

    private record Answer(int status, String body) {}

    private final HttpServer server;
    private final Map<String, Deque<Answer>> answers = new HashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private CommandLine.IFactory factory = CommandLine.defaultFactory();

    FakeControlApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Answers {@code method path} (under {@link #ORG} when it starts with no '/') with {@code bodies}, in turn. */
    synchronized FakeControlApi on(String method, String path, int status, String... bodies) {
        Deque<Answer> queue = new ArrayDeque<>();
        for (String body : bodies) {
            queue.add(new Answer(status, body));
        }
        if (bodies.length == 0) {
            queue.add(new Answer(status, ""));
        }
        answers.put(method + " " + full(path), queue);
        return this;
    }

    /** Answers with the API's error object. */
    FakeControlApi fail(String method, String path, int status, String code, String message) {
        return on(method, path, status, "{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}");
    }

    FakeControlApi factory(CommandLine.IFactory factory) {
        this.factory = factory;
        return this;
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The one request made with {@code method} and {@code path}. */
    synchronized Call call(String method, String path) {
        List<Call> matching = calls.stream().filter(c -> c.method().equals(method) && c.path().equals(full(path))).toList();
        if (matching.size() != 1) {
            throw new AssertionError("expected one " + method + " " + full(path) + ", got " + matching.size() + " in " + calls);
        }
        return matching.getFirst();
    }

    /** Runs {@code arbor COMMAND... --control URL --token T}. */
    Run run(String... command) {
        String[] args = Arrays.copyOf(command, command.length + 4);
        args[command.length] = "--control";
        args[command.length + 1] = "http://127.0.0.1:" + server.getAddress().getPort();
        args[command.length + 2] = "--token";
        args[command.length + 3] = TOKEN;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ArborCommand.commandLine(factory);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static String full(String path) {
        return path.startsWith("/") ? path : ORG + "/" + path;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String query = exchange.getRequestURI().getRawQuery();
        String path = exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query);
        Answer answer;
        synchronized (this) {
            calls.add(new Call(exchange.getRequestMethod(), path, body, exchange.getRequestHeaders().getFirst("Authorization")));
            Deque<Answer> queue = answers.get(exchange.getRequestMethod() + " " + path);
            answer = queue == null ? new Answer(404, "{\"code\":\"not_found\",\"message\":\"no such endpoint: " + path + "\"}")
                    : queue.size() > 1 ? queue.poll() : queue.peek();
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), answer.status() == 204 || bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0 && answer.status() != 204) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
