package dev.miu.bench;

import java.io.IOException;

/**
 * When one streamed answer's chunks arrived: time to the first chunk, and the mean gap between later chunks.
 *
 * @param chunks how many chunks arrived; {@code complete} whether the stream's end event came
 */
record StreamTiming(long firstChunkNanos, long meanGapNanos, int chunks, boolean complete) {

    /** Collects chunk arrival times of one stream. */
    static final class Builder {
        private final long start;
        private long first = -1;
        private long last;
        private int chunks;
        private boolean complete;

        Builder(long start) {
            this.start = start;
        }

        void chunk(long now) {
            if (first < 0) {
                first = now;
            }
            last = now;
            chunks++;
        }

        void end() {
            complete = true;
        }

        StreamTiming build() throws IOException {
            if (!complete || chunks == 0) {
                throw new IOException("stream ended early after " + chunks + " chunks");
            }
            long gap = chunks > 1 ? (last - first) / (chunks - 1) : 0;
            return new StreamTiming(first - start, gap, chunks, true);
        }
    }
}
