package io.arbor.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * Fails a test class during which Netty reported a leak: a buffer garbage-collected without {@code release()}.
 * Registered for every test class of every module through {@code META-INF/services} (the root pom turns on JUnit's
 * extension autodetection and Netty's paranoid leak detection, with {@link RecordingLeakDetector}).
 *
 * <p>Netty finds a leak only once the collector has cleared the buffer and a later allocation looks at the queue of
 * cleared ones, so a leak would otherwise surface in whichever later test happened to allocate (or never, at the end
 * of the JVM). After each class this collects garbage and allocates, so a leak is reported with the class that made
 * it; one still reachable then (held by a static, say) is reported with a later class, and the message says so.
 */
public final class LeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final String DETECTOR_PROPERTY = "io.netty.customResourceLeakDetector";
    private static volatile boolean verified;

    /** Whether the build asked for this check (the root pom's argLine): not when a test runs on its own in an IDE. */
    static boolean enabled() {
        return RecordingLeakDetector.class.getName().equals(System.getProperty(DETECTOR_PROPERTY));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!enabled() || verified) {
            return;
        }
        // Netty falls back to its own detector, with only an error in the log, when it cannot load ours: say so here.
        Object detector = ResourceLeakDetectorFactory.instance().newResourceLeakDetector(ByteBuf.class);
        if (!(detector instanceof RecordingLeakDetector<?>)) {
            throw new AssertionError(DETECTOR_PROPERTY + " names " + RecordingLeakDetector.class.getName()
                    + " but Netty made a " + detector.getClass().getName() + ": is arbor-testing on the test classpath?");
        }
        verified = true;
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        if (!enabled()) {
            return;
        }
        List<String> leaks = detect();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty leak report(s) during " + context.getDisplayName()
                    + " (or an earlier class, if the buffer was still reachable when that one ended); each names where"
                    + " the buffer was last used:\n" + String.join("\n\n", leaks));
        }
    }

    /**
     * Makes Netty look for leaks now: garbage is collected, the collector's thread given a moment to queue the cleared
     * buffers, and a buffer allocated (a paranoid detector looks at every allocation). Returns the reports since the
     * last call.
     */
    static List<String> detect() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(20); // the reference handler enqueues cleared references on its own thread
            UnpooledByteBufAllocator.DEFAULT.directBuffer(1).release(); // heap ones are not tracked
        }
        return RecordingLeakDetector.drain();
    }
}
