package io.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * A command that talks to the control plane's REST API: it gets the connection options of {@link ControlArgs} and
 * the ways every such command prints (the API's own JSON with {@code --format json}, a table or {@code field: value}
 * lines for people), so each command only says what it asks and which fields it shows.
 */
abstract class ControlCall implements Callable<Integer> {
    @Mixin
    ControlArgs args;
    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        return run(args.client());
    }

    /** The command itself, on a client for the control plane; returns the exit status. */
    abstract int run(ControlClient client);

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    boolean json() {
        return args.json();
    }

    /** One object: as the API sent it, or its {@code fields} as {@code field: value} lines. */
    void printObject(JsonNode object, String... fields) {
        if (json()) {
            ControlArgs.printJson(out(), object);
        } else {
            out().print(TextTable.details(object, fields));
            out().flush();
        }
    }

    /** A list's {@code data}: as a JSON array, or a table of {@code columns}. */
    void printList(JsonNode data, String... columns) {
        if (json()) {
            ControlArgs.printJson(out(), data);
        } else {
            out().print(TextTable.of(data, columns));
            out().flush();
        }
    }

    /** What a change that answers with no object (204) did: {@code json} for scripts, {@code human} for people. */
    void printDone(ObjectNode json, String human) {
        if (json()) {
            ControlArgs.printJson(out(), json);
        } else {
            out().println(human);
            out().flush();
        }
    }

    /** A line for people on standard error (hints, progress), so that standard output stays what scripts read. */
    void note(String line) {
        err().println(line);
        err().flush();
    }
}
