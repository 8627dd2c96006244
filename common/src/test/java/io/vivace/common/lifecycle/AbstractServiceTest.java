package io.vivace.common.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vivace.common.lifecycle.Service.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AbstractServiceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    /** A service that records what it was asked to do and can be told to fail. */
    static class Recording extends AbstractService {
        final List<String> calls = new ArrayList<>();
        Exception startFailure;
        Exception stopFailure;
        Runnable duringStart = () -> {};
        final List<State> statesSeenInStart = new ArrayList<>();
        final List<State> statesSeenInStop = new ArrayList<>();
        Duration stopTimeout;

        Recording() {
            super("recording");
        }

        @Override
        protected void doStart() throws Exception {
            statesSeenInStart.add(state());
            calls.add("start");
            duringStart.run();
            if (startFailure != null) {
                throw startFailure;
            }
        }

        @Override
        protected void doStop(Duration timeout) throws Exception {
            statesSeenInStop.add(state());
            stopTimeout = timeout;
            calls.add("stop");
            if (stopFailure != null) {
                throw stopFailure;
            }
        }

        void failInBackground(Throwable t) {
            fail(t);
        }
    }

    @Test
    void newServiceIsNewWithoutFailure() {
        Recording s = new Recording();

        assertThat(s.state()).isEqualTo(State.NEW);
        assertThat(s.failure()).isNull();
        assertThat(s.name()).isEqualTo("recording");
    }

    @Test
    void startRunsDoStartInStartingThenRuns() {
        Recording s = new Recording();

        s.start();

        assertThat(s.statesSeenInStart).containsExactly(State.STARTING);
        assertThat(s.state()).isEqualTo(State.RUNNING);
        assertThat(s.calls).containsExactly("start");
    }

    @Test
    void stopRunsDoStopInStoppingThenTerminates() {
        Recording s = new Recording();
        s.start();

        s.stop(TIMEOUT);

        assertThat(s.statesSeenInStop).containsExactly(State.STOPPING);
        assertThat(s.stopTimeout).isEqualTo(TIMEOUT);
        assertThat(s.state()).isEqualTo(State.TERMINATED);
        assertThat(s.failure()).isNull();
        assertThat(s.calls).containsExactly("start", "stop");
    }

    @Test
    void stopIsIdempotent() {
        Recording s = new Recording();
        s.start();

        s.stop(TIMEOUT);
        s.stop(TIMEOUT);
        s.stop(TIMEOUT);

        assertThat(s.calls).containsExactly("start", "stop");
        assertThat(s.state()).isEqualTo(State.TERMINATED);
    }

    @Test
    void stopOfNewServiceTerminatesWithoutCallingDoStop() {
        Recording s = new Recording();

        s.stop(TIMEOUT);

        assertThat(s.state()).isEqualTo(State.TERMINATED);
        assertThat(s.calls).isEmpty();
        // and it can no longer start
        assertThatThrownBy(s::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("TERMINATED");
        assertThat(s.calls).isEmpty();
    }

    @Test
    void startFailureMovesToFailedAndRollsBackThroughDoStop() {
        Recording s = new Recording();
        IllegalStateException cause = new IllegalStateException("port 3200 in use");
        s.startFailure = cause;

        assertThatThrownBy(s::start)
                .isInstanceOf(ServiceFailedException.class)
                .hasMessage("recording failed: port 3200 in use")
                .hasCause(cause);

        assertThat(s.state()).isEqualTo(State.FAILED);
        assertThat(s.failure()).isSameAs(cause);
        assertThat(s.calls).containsExactly("start", "stop");
    }

    @Test
    void rollbackFailureIsSuppressedNotLost() {
        Recording s = new Recording();
        s.startFailure = new RuntimeException("start broke");
        s.stopFailure = new RuntimeException("cleanup broke too");

        assertThatThrownBy(s::start).isInstanceOf(ServiceFailedException.class)
                .satisfies(e -> assertThat(e.getCause().getSuppressed()).extracting(Throwable::getMessage).containsExactly("cleanup broke too"));
        assertThat(s.state()).isEqualTo(State.FAILED);
        assertThat(s.failure()).hasMessage("start broke");
    }

    @Test
    void failedServiceIsNotStoppedTwice() {
        Recording s = new Recording();
        s.startFailure = new RuntimeException("nope");
        assertThatThrownBy(s::start).isInstanceOf(ServiceFailedException.class);

        s.stop(TIMEOUT);

        assertThat(s.calls).containsExactly("start", "stop");
        assertThat(s.state()).isEqualTo(State.FAILED);
    }

    @Test
    void startFailureWithoutMessageNamesTheExceptionType() {
        Recording s = new Recording();
        s.startFailure = new java.io.IOException();

        assertThatThrownBy(s::start).hasMessage("recording failed: IOException");
    }

    @Test
    void startTwiceFails() {
        Recording s = new Recording();
        s.start();

        assertThatThrownBy(s::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("recording: start() in state RUNNING (expected: NEW)");
        assertThat(s.calls).containsExactly("start");
        assertThat(s.state()).isEqualTo(State.RUNNING);
    }

    @Test
    void startAfterFailureFails() {
        Recording s = new Recording();
        s.startFailure = new RuntimeException("x");
        assertThatThrownBy(s::start).isInstanceOf(ServiceFailedException.class);

        assertThatThrownBy(s::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("FAILED");
    }

    @Test
    void stopFailureMovesToFailed() {
        Recording s = new Recording();
        s.start();
        RuntimeException cause = new RuntimeException("flush failed");
        s.stopFailure = cause;

        s.stop(TIMEOUT);

        assertThat(s.state()).isEqualTo(State.FAILED);
        assertThat(s.failure()).isSameAs(cause);
        s.stop(TIMEOUT);
        assertThat(s.calls).containsExactly("start", "stop");
    }

    @Test
    void backgroundFailureMovesRunningServiceToFailed() {
        Recording s = new Recording();
        s.start();
        RuntimeException cause = new RuntimeException("disk full");

        s.failInBackground(cause);

        assertThat(s.state()).isEqualTo(State.FAILED);
        assertThat(s.failure()).isSameAs(cause);
    }

    @Test
    void stopAfterBackgroundFailureStillReleasesResources() {
        Recording s = new Recording();
        s.start();
        s.failInBackground(new RuntimeException("disk full"));

        s.stop(TIMEOUT);
        s.stop(TIMEOUT);

        assertThat(s.calls).containsExactly("start", "stop");
        assertThat(s.state()).isEqualTo(State.FAILED);
        assertThat(s.failure()).hasMessage("disk full");
    }

    @Test
    void firstFailureIsKept() {
        Recording s = new Recording();
        s.start();
        s.failInBackground(new RuntimeException("first"));
        s.failInBackground(new RuntimeException("second"));

        assertThat(s.failure()).hasMessage("first");
    }

    @Test
    void failureAfterTerminationDoesNotResurrectTheService() {
        Recording s = new Recording();
        s.start();
        s.stop(TIMEOUT);

        s.failInBackground(new RuntimeException("late"));

        assertThat(s.state()).isEqualTo(State.TERMINATED);
        assertThat(s.failure()).isNull();
    }

    @Test
    void failureDuringStartIsNotOverwrittenByRunning() {
        Recording s = new Recording();
        RuntimeException cause = new RuntimeException("worker died while starting");
        s.duringStart = () -> s.failInBackground(cause);

        assertThatThrownBy(s::start).isInstanceOf(ServiceFailedException.class).hasCause(cause);

        assertThat(s.state()).isEqualTo(State.FAILED);
        assertThat(s.failure()).isSameAs(cause);
        assertThat(s.calls).containsExactly("start", "stop");
    }

    @Test
    void interruptedStartKeepsTheInterruptFlag() {
        Recording s = new Recording();
        s.startFailure = new InterruptedException("interrupted");

        try {
            assertThatThrownBy(s::start).isInstanceOf(ServiceFailedException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void concurrentStartsRunDoStartOnce() throws Exception {
        CountDownLatch inStart = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Recording s = new Recording();
        s.duringStart = () -> {
            inStart.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Thread first = new Thread(s::start);
        first.start();
        assertThat(inStart.await(5, TimeUnit.SECONDS)).isTrue();

        AtomicReference<Throwable> second = new AtomicReference<>();
        try {
            s.start();
        } catch (Throwable t) {
            second.set(t);
        }
        release.countDown();
        first.join(5_000);

        assertThat(second.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("STARTING");
        assertThat(s.state()).isEqualTo(State.RUNNING);
        assertThat(s.calls).containsExactly("start");
    }

    @Test
    void nameIsRequired() {
        assertThatThrownBy(() -> new AbstractService(null) {
            @Override
            protected void doStart() {}

            @Override
            protected void doStop(Duration timeout) {}
        }).isInstanceOf(NullPointerException.class).hasMessage("name");
    }
}
