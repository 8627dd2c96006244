package io.vivace.storage.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.vivace.model.TraceId;
import io.vivace.model.tempopb.TraceSearchMetadata;
import io.vivace.storage.object.InMemoryObjectStore;
import io.vivace.traceql.TraceQL;
import io.vivace.traceql.engine.EvalTrace;
import io.vivace.traceql.engine.FetchStats;
import io.vivace.traceql.engine.SearchOptions;
import io.vivace.traceql.engine.TraceQLExecutionException;
import io.vivace.traceql.engine.TraceSearch;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The property that matters: the engine's results over {@link BlockSearcher} equal its results over
 * every trace of the block, for many query shapes (the first pass may only add candidates, never
 * lose one), with the engine's own evaluator as the oracle.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EngineAgreementTest {
    private BufferAllocator allocator;
    private BlockReader reader;
    private List<EvalTrace> everything;

    @BeforeAll
    void writeBlock() throws Exception {
        List<TraceEntry> dataset = new SearchTraces(23).traces(800, 2);
        InMemoryObjectStore store = new InMemoryObjectStore();
        allocator = new RootAllocator();
        BlockMeta meta = new BlockWriter(store, new BlockWriterConfig(100, 0.01, 100 * 1024), allocator)
                .write("t", UUID.randomUUID(), 0, dataset.iterator());
        reader = BlockReader.open(store, meta, allocator);
        everything = new ArrayList<>();
        for (Iterator<TraceEntry> it = reader.traces(); it.hasNext(); ) {
            TraceEntry t = it.next();
            everything.add(EvalTrace.of(t.id(), t.resourceSpans()));
        }
    }

    @AfterAll
    void close() {
        reader.close();
        assertThat(allocator.getAllocatedMemory()).isZero();
        allocator.close();
    }

    static Stream<String> queries() {
        return Stream.of(
                "{ }",
                "{ resource.service.name = \"svc-3\" }",
                "{ .service.name = \"rare-svc\" || name = \"op-2\" }",
                "{ resource.service.name != \"svc-3\" && span.http.method = \"PUT\" }",
                "{ resource.service.name = 7 }",
                "{ span.http.status_code = 500 && status = error }",
                "{ span.http.status_code >= 404 }",
                "{ span.http.status_code = \"503\" }",
                "{ span.http.status_code != 200 }",
                "{ span.http.url =~ \".*/items/1[0-9]\" }",
                "{ span.db.system = \"mysql\" }",
                "{ span.db.system = \"postgresql\" }",
                "{ .attr.str = \"v-7\" }",
                "{ span.attr.str !~ \"v-[0-3].*\" }",
                "{ span.attr.str <= \"v-12\" }",
                "{ span.attr.int > 95 || span.attr.dbl < 0.5 }",
                "{ span.attr.int = 42.0 }",
                "{ span.attr.dbl = 2 }",
                "{ span.attr.bool = false }",
                "{ span.attr.bool != true }",
                "{ span.tags = \"t-2\" }",
                "{ span.tags != \"t-2\" }",
                "{ span.tags =~ \"t-[45]\" }",
                "{ span.nums >= 99 }",
                "{ span.kv = \"x\" }",
                "{ span.kv != nil }",
                "{ span.http.method = nil }",
                "{ span.http.method != nil && resource.k8s.namespace.name = nil }",
                "{ .attr.str = nil }",
                "{ .nope != nil }",
                "{ name = \"op-3\" }",
                "{ name =~ \"GET /api/[01]\" }",
                "{ name > \"op-7\" && kind = client }",
                "{ status = unset }",
                "{ status != error && kind != server }",
                "{ kind = unspecified }",
                "{ statusMessage = \"boom 2\" }",
                "{ statusMessage = \"\" && status = ok }",
                "{ duration > 2500ms }",
                "{ duration < 2ms }",
                "{ span:duration >= 1.5s && span:childCount > 2 }",
                "{ trace:duration > 2s }",
                "{ traceDuration < 100ms }",
                "{ trace:rootService = \"svc-5\" }",
                "{ rootName = \"GET /api/2\" }",
                "{ rootServiceName != \"svc-0\" }",
                "{ span:parentID = \"\" && kind = server }",
                "{ event.exception.type = \"IOError\" }",
                "{ event:name = \"exception\" && status = error }",
                "{ link.link.kind = \"child\" }",
                "{ instrumentation.scope.kind = \"manual\" }",
                "{ instrumentation:name = \"lib-b\" }",
                "{ instrumentation:version = \"\" }",
                "{ .exception.type = \"Timeout\" }",
                "{ .link.kind != \"child\" }",
                "{ span.http.method = \"GET\" } && { span.http.method = \"POST\" }",
                "{ span.http.method = \"GET\" } || { status = error }",
                "{ resource.service.name = \"svc-1\" } > { span.http.status_code = 500 }",
                "{ } >> { name = \"op-4\" }",
                "{ name = \"op-1\" } !< { }",
                "{ kind = server } ~ { kind = client }",
                "{ span.http.method = \"GET\" || span.attr.int = 3 }",
                "{ !(span.http.method = \"GET\") }",
                "{ span.attr.int + 1 > 50 }",
                "{ span.http.status_code = 500 } | count() > 1",
                "{ status = error } | by(resource.service.name) | count() > 1",
                "{ span.attr.int > 10 } | avg(span.attr.int) > 60",
                "{ name = \"op-5\" } | select(span.http.url)",
                "({ name = \"op-6\" } | count() > 0) && ({ status = ok })",
                "{ name = \"big-first-1\" } && { name = \"big-last-1\" }",
                "{ name = \"big-last-2\" }");
    }

    @ParameterizedTest
    @MethodSource("queries")
    void engineResultsAgree(String query) {
        TraceSearch search = TraceSearch.prepare(TraceQL.compile(query), SearchOptions.DEFAULT);
        Map<TraceId, TraceSearchMetadata> expected = new TreeMap<>();
        for (EvalTrace t : everything) {
            evaluate(search, t).ifPresent(m -> expected.put(t.id(), m));
        }
        Map<TraceId, TraceSearchMetadata> actual = new TreeMap<>();
        List<EvalTrace> candidates = new ArrayList<>();
        new BlockSearcher(reader).fetch(search.request(0, 0, () -> false), new FetchStats(), t -> candidates.add(t));
        for (EvalTrace t : candidates) {
            evaluate(search, t).ifPresent(m -> actual.put(t.id(), m));
        }
        assertThat(actual).as(query).isEqualTo(expected);
        assertThat(candidates.size()).as("candidates of %s", query).isGreaterThanOrEqualTo(expected.size());
    }

    private static java.util.Optional<TraceSearchMetadata> evaluate(TraceSearch search, EvalTrace t) {
        try {
            return search.evaluate(t);
        } catch (TraceQLExecutionException e) {
            return java.util.Optional.empty();
        }
    }
}
