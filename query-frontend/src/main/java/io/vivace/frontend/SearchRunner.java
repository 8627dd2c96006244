package io.vivace.frontend;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vivace.common.errors.ErrorCategory;
import io.vivace.common.errors.VivaceException;
import io.vivace.model.tempopb.TraceSearchMetadata;
import io.vivace.traceql.engine.FetchRequest;
import io.vivace.traceql.engine.FetchStats;
import io.vivace.traceql.engine.SearchBackend;
import io.vivace.traceql.engine.SearchCombiner;
import io.vivace.traceql.engine.SearchJob;
import io.vivace.traceql.engine.TraceSearch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one search as jobs: asks the {@link SearchBackend} for the jobs of each tenant (recent data
 * and block shards), runs them newest first with bounded concurrency, combines their results in job
 * order (so the answer is repeatable), and stops the remaining jobs once the answer is known or the
 * deadline passes. Results of block jobs (immutable data) are cached by query.
 */
final class SearchRunner {
    private static final Logger log = LoggerFactory.getLogger(SearchRunner.class);

    /** What one search read and did, for the response's {@code metrics}. */
    static final class Progress {
        final FetchStats stats = new FetchStats();
        final AtomicInteger completedJobs = new AtomicInteger();
        volatile int totalJobs;
        volatile int totalBlocks;
        volatile long totalBlockBytes;
        /** The combined results so far (set when the search starts). */
        volatile java.util.function.Supplier<List<TraceSearchMetadata>> results = List::of;
    }

    /** Cached result of one block job for one query. */
    private record JobResult(List<TraceSearchMetadata> traces) {
        int weight() {
            int w = 64;
            for (TraceSearchMetadata t : traces) {
                w += t.getSerializedSize() + 32;
            }
            return w;
        }
    }

    private final SearchBackend backend;
    private final QueryFrontendConfig.Search config;
    private final ExecutorService executor;
    private final int poolSize;
    private final Cache<String, JobResult> cache;
    private final Counter jobFailures;

    SearchRunner(SearchBackend backend, QueryFrontendConfig.Search config, ExecutorService executor, int poolSize,
            MeterRegistry registry) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.config = config;
        this.executor = executor;
        this.poolSize = poolSize;
        this.cache = config.cacheSizeBytes() <= 0 ? null : Caffeine.newBuilder()
                .maximumWeight(config.cacheSizeBytes())
                .weigher((String k, JobResult v) -> k.length() * 2 + v.weight())
                .recordStats()
                .build();
        this.jobFailures = Counter.builder("vivace_search_job_failures_total")
                .description("Search jobs that failed reading their data; the job was skipped").register(registry);
        if (cache != null) {
            registry.gauge("vivace_search_cache_hits", cache, c -> c.stats().hitCount());
            registry.gauge("vivace_search_cache_requests", cache, c -> c.stats().requestCount());
        }
    }

    /** The jobs of every tenant for a range, newest data first (recent data before blocks). */
    List<SearchJob> jobs(List<String> tenants, long startNanos, long endNanos, boolean blocks) {
        List<SearchJob> jobs = new ArrayList<>();
        for (String tenant : tenants) {
            jobs.addAll(backend.jobs(tenant, startNanos, endNanos, blocks, config.targetBytesPerJob()));
        }
        jobs.sort(Comparator.comparing((SearchJob j) -> j.isBlock())
                .thenComparing(Comparator.comparingLong(SearchJob::endNanos).reversed()));
        return jobs;
    }

    /** Fills the job totals of {@code progress}. */
    static void account(List<SearchJob> jobs, Progress progress) {
        Set<String> blocks = new HashSet<>();
        long bytes = 0;
        for (SearchJob j : jobs) {
            if (j.isBlock()) {
                String key = j.cacheKey();
                int slash = key.indexOf('#');
                blocks.add(slash < 0 ? key : key.substring(0, slash));
                bytes += j.bytes();
            }
        }
        progress.totalJobs = jobs.size();
        progress.totalBlocks = blocks.size();
        progress.totalBlockBytes = bytes;
    }

    /**
     * Runs {@code search} over {@code jobs} (in the order given, newest data first) and returns the
     * combined traces, newest first, at most {@code limit}.
     *
     * <p>The answer is the same on every run over the same data, whatever order concurrent jobs
     * finish in. First-found mode (the default): each job keeps its first {@code limit} matches, and
     * the answer is made of the jobs in order up to the first one still running or not run; once
     * that prefix holds {@code limit} traces, the remaining jobs are cancelled. With {@code
     * most_recent=true} every job runs, except that a job whose data ends before the oldest of
     * {@code limit} traces already found is skipped (it cannot hold a newer one).
     *
     * @param queryKey canonical text of the query and every option that changes a job's result
     * @param deadlineNanos {@link System#nanoTime()} by which the search must finish
     * @param progress receives the combined results so far for streaming (may be called concurrently)
     * @throws VivaceException DEADLINE_EXCEEDED when the deadline passes, INVALID_ARGUMENT when the
     *     query fails on the data
     */
    List<TraceSearchMetadata> run(List<SearchJob> jobs, TraceSearch search, String queryKey, long startNanos, long endNanos,
            int limit, Progress progress, BooleanSupplier cancelled, long deadlineNanos) {
        account(jobs, progress);
        boolean mostRecent = search.mostRecent();
        Ordered ordered = new Ordered(jobs.size(), limit, mostRecent);
        progress.results = ordered::results;
        if (jobs.isEmpty()) {
            return List.of();
        }
        ConcurrentLinkedQueue<Integer> queue = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < jobs.size(); i++) {
            queue.add(i);
        }
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        BooleanSupplier stop = () -> failure.get() != null || cancelled.getAsBoolean() || ordered.isComplete()
                || System.nanoTime() > deadlineNanos;
        int workers = Math.min(Math.min(config.concurrentJobs(), poolSize), jobs.size());
        CountDownLatch done = new CountDownLatch(workers);
        for (int w = 0; w < workers; w++) {
            executor.execute(() -> {
                try {
                    Integer k;
                    while (!stop.getAsBoolean() && (k = queue.poll()) != null) {
                        SearchJob job = jobs.get(k);
                        if (mostRecent && job.endNanos() != 0 && job.endNanos() < ordered.oldestKept()) {
                            ordered.complete(k, List.of());
                        } else {
                            List<TraceSearchMetadata> found = runJob(job, search, queryKey, startNanos, endNanos, limit,
                                    progress, stop);
                            if (found != null) {
                                ordered.complete(k, found);
                            }
                        }
                        progress.completedJobs.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            });
        }
        try {
            long wait = deadlineNanos - System.nanoTime();
            if (!done.await(Math.max(0, wait), TimeUnit.NANOSECONDS)) {
                failure.compareAndSet(null, deadline());
                done.await(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VivaceException(ErrorCategory.UNAVAILABLE, "interrupted", "search interrupted");
        }
        RuntimeException f = failure.get();
        if (f == null && !ordered.isComplete() && !ordered.allDone() && System.nanoTime() > deadlineNanos) {
            f = deadline();
        }
        if (f != null) {
            throw f;
        }
        return ordered.results();
    }

    /**
     * Job results kept in job order, so that the answer does not depend on which job finished first.
     */
    private static final class Ordered {
        private final List<TraceSearchMetadata>[] results;
        private final int limit;
        private final boolean mostRecent;
        private final SearchCombiner newest;
        private volatile boolean complete;
        private int done;

        @SuppressWarnings("unchecked")
        Ordered(int jobs, int limit, boolean mostRecent) {
            this.results = new List[jobs];
            this.limit = limit;
            this.mostRecent = mostRecent;
            this.newest = mostRecent ? new SearchCombiner(limit, true) : null;
        }

        synchronized void complete(int job, List<TraceSearchMetadata> found) {
            results[job] = found;
            done++;
            if (mostRecent) {
                found.forEach(newest::add);
                return;
            }
            Set<String> ids = new HashSet<>();
            for (List<TraceSearchMetadata> r : results) {
                if (r == null) {
                    return;
                }
                r.forEach(t -> ids.add(t.getTraceID()));
                if (ids.size() >= limit) {
                    complete = true;
                    return;
                }
            }
        }

        boolean isComplete() {
            return complete;
        }

        synchronized boolean allDone() {
            return done == results.length;
        }

        /** Start of the oldest kept trace once {@code limit} are kept (most-recent mode), else {@code Long.MIN_VALUE}. */
        long oldestKept() {
            if (!mostRecent) {
                return Long.MIN_VALUE;
            }
            List<TraceSearchMetadata> r = newest.results();
            return r.size() < limit ? Long.MIN_VALUE : r.get(r.size() - 1).getStartTimeUnixNano();
        }

        synchronized List<TraceSearchMetadata> results() {
            if (mostRecent) {
                return newest.results();
            }
            SearchCombiner c = new SearchCombiner(limit, false);
            for (List<TraceSearchMetadata> r : results) {
                if (r == null) {
                    break;
                }
                r.forEach(c::add);
            }
            return c.results();
        }
    }

    private VivaceException deadline() {
        return new VivaceException(ErrorCategory.DEADLINE_EXCEEDED, "timeout",
                "unable to process request in the configured timeout: the search ran longer than query_frontend.api_timeout");
    }

    /** Runs one job; its matches, or {@code null} when it was interrupted (its result is then unusable). */
    private List<TraceSearchMetadata> runJob(SearchJob job, TraceSearch search, String queryKey, long startNanos, long endNanos,
            int limit, Progress progress, BooleanSupplier stop) {
        String key = null;
        if (cache != null && job.isBlock()) {
            String range = job.within(startNanos, endNanos) ? "*" : startNanos + "-" + endNanos;
            key = job.tenant() + '\u0000' + job.cacheKey() + '\u0000' + range + '\u0000' + limit + '\u0000' + queryKey;
            JobResult cached = cache.getIfPresent(key);
            if (cached != null) {
                return cached.traces();
            }
        }
        FetchStats stats = new FetchStats();
        List<TraceSearchMetadata> found = new ArrayList<>();
        boolean[] interrupted = {false};
        boolean firstFound = !search.mostRecent();
        FetchRequest request = search.request(startNanos, endNanos, () -> {
            if (stop.getAsBoolean()) {
                interrupted[0] = true;
                return true;
            }
            return false;
        });
        try {
            job.source().fetch(request, stats, trace -> {
                search.evaluate(trace).ifPresent(found::add);
                if (firstFound && found.size() >= limit) {
                    return false;
                }
                if (stop.getAsBoolean()) {
                    interrupted[0] = true;
                    return false;
                }
                return true;
            });
        } catch (VivaceException e) {
            throw e;
        } catch (RuntimeException e) {
            // One unreadable block must not fail every search: skip it, count it, log it.
            jobFailures.increment();
            log.warn("event=search_job_failed tenant={} job={} error=\"{}\"", job.tenant(), job.cacheKey(), e.toString());
            return List.of();
        } finally {
            progress.stats.add(stats);
        }
        if (interrupted[0]) {
            return null;
        }
        if (key != null) {
            cache.put(key, new JobResult(List.copyOf(found)));
        }
        return found;
    }
}
