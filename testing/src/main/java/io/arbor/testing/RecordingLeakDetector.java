package io.arbor.testing;

import io.netty.util.ResourceLeakDetector;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The leak detector of every test JVM (the root pom names it in {@code io.netty.customResourceLeakDetector}): Netty's
 * own, which logs each leak as {@code LEAK: ...}, and keeps the report too, so that {@link LeakCheck} can fail the
 * test class it surfaced in rather than leave a line in a log nobody reads.
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {
    private static final Queue<String> REPORTS = new ConcurrentLinkedQueue<>();

    /** The constructor Netty's factory calls. */
    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    /** The constructor older factories call ({@code maxActive} is ignored by Netty too). */
    @SuppressWarnings("deprecation")
    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        super(resourceType, samplingInterval, maxActive);
    }

    /** Reports are kept whether or not the logger would print them. */
    @Override
    protected boolean needReport() {
        return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        REPORTS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected." + records);
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        REPORTS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected"
                + " (no access records: set io.netty.leakDetection.level=paranoid to see where it was used)");
        super.reportUntracedLeak(resourceType);
    }

    /** The reports since the last call, oldest first. */
    static List<String> drain() {
        List<String> out = new ArrayList<>();
        for (String r; (r = REPORTS.poll()) != null; ) {
            out.add(r);
        }
        return out;
    }
}
