package dev.miu.core.provider;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a response body that stays silent longer than the read timeout, so a stalled stream fails instead of
 * hanging. The JDK client's request timeout only covers the wait for headers.
 */
final class IdleTimeoutInputStream extends FilterInputStream {

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "miu-stream-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final long timeoutNanos;
    private final ScheduledFuture<?> check;
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean timedOut;

    IdleTimeoutInputStream(InputStream in, Duration timeout) {
        super(in);
        this.timeoutNanos = timeout.toNanos();
        long period = Math.max(100, Math.min(1000, timeout.toMillis() / 4));
        this.check = WATCHDOG.scheduleAtFixedRate(this::closeIfIdle, period, period, TimeUnit.MILLISECONDS);
    }

    private void closeIfIdle() {
        if (System.nanoTime() - lastActivity > timeoutNanos) {
            timedOut = true;
            check.cancel(false);
            try {
                in.close();
            } catch (IOException ignored) {
                // closing is the point; nothing more to do
            }
        }
    }

    @Override
    public int read() throws IOException {
        int b;
        try {
            b = super.read();
        } catch (IOException e) {
            throw timedOut ? timeout() : e;
        }
        lastActivity = System.nanoTime();
        return guarded(b);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = super.read(b, off, len);
        } catch (IOException e) {
            throw timedOut ? timeout() : e;
        }
        lastActivity = System.nanoTime();
        return guarded(n);
    }

    private int guarded(int result) throws IOException {
        if (timedOut) {
            throw timeout();
        }
        return result;
    }

    private IOException timeout() {
        return new IOException("stream silent for more than " + Duration.ofNanos(timeoutNanos).toSeconds() + " s");
    }

    @Override
    public void close() throws IOException {
        check.cancel(false);
        super.close();
    }
}
