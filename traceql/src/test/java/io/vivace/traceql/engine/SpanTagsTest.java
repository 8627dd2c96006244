package io.vivace.traceql.engine;

import static io.vivace.traceql.engine.Spans.array;
import static io.vivace.traceql.engine.Spans.bytes;
import static io.vivace.traceql.engine.Spans.i;
import static io.vivace.traceql.engine.Spans.s;
import static io.vivace.traceql.engine.Spans.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.traceql.TraceQLParser;
import io.vivace.traceql.ast.AttributeScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpanTagsTest {
    private static final EvalTrace TRACE = new Spans()
            .span(-1, Span.newBuilder().setName("root").addAttributes(str("k", "v1")).addAttributes(array("arr", s("x"), i(2)))
                    .addAttributes(bytes("bin"))
                    .addEvents(Span.Event.newBuilder().setName("ev").addAttributes(str("ek", "e")))
                    .addLinks(Span.Link.newBuilder().addAttributes(str("lk", "l"))))
            .span(0, Span.newBuilder().setName("child").addAttributes(str("k", "v2")).addAttributes(str("only", "c")))
            .trace();

    private static final TraceSource SOURCE = (request, stats, sink) -> {
        if (request.overlaps(TRACE.startNanos(), TRACE.endNanos())) {
            sink.accept(TRACE);
        }
    };

    private static List<String> names(Set<AttributeScope> scopes, String filter) {
        List<String> out = new ArrayList<>();
        SpanTags.names(SOURCE, new TagRequest(scopes, null, filter == null ? null : TraceQLParser.parseSpansetFilter(filter), 0, 0,
                () -> false), new FetchStats(), (scope, name) -> out.add(scope.word() + ":" + name));
        return out;
    }

    private static List<TagValue> values(String tag, String filter) {
        List<TagValue> out = new ArrayList<>();
        SpanTags.values(SOURCE, new TagRequest(Set.of(), TraceQLParser.parseFieldReference(tag),
                filter == null ? null : TraceQLParser.parseSpansetFilter(filter), 0, 0, () -> false), new FetchStats(), out::add);
        return out;
    }

    @Test
    void namesOncePerScope() {
        assertThat(names(Set.of(AttributeScope.SPAN), null)).containsExactly("span:k", "span:arr", "span:bin", "span:only");
        assertThat(names(Set.of(AttributeScope.RESOURCE, AttributeScope.EVENT, AttributeScope.LINK), null))
                .containsExactlyInAnyOrder("resource:service.name", "event:ek", "link:lk");
        assertThat(names(Set.of(AttributeScope.SPAN), "{ name = \"child\" }")).containsExactly("span:k", "span:only");
        assertThat(names(Set.of(AttributeScope.INSTRUMENTATION), null)).isEmpty();
    }

    @Test
    void valuesAreTypedAndArraysFlattened() {
        assertThat(values("span.arr", null)).containsExactly(TagValue.string("x"), new TagValue("int", "2"));
        assertThat(values(".k", null)).containsExactly(TagValue.string("v1"), TagValue.string("v2"));
        assertThat(values(".k", "{ name = \"child\" }")).containsExactly(TagValue.string("v2"));
        assertThat(values("span.bin", null)).isEmpty();
        assertThat(values("event.ek", null)).containsExactly(TagValue.string("e"));
        assertThat(values("name", null)).containsExactly(TagValue.string("root"), TagValue.string("child"));
        assertThat(values("duration", null)).containsExactly(new TagValue("duration", "1ms"));
        assertThat(values("span:childCount", null)).containsExactly(new TagValue("int", "1"), new TagValue("int", "0"));
        assertThat(values("event:name", null)).containsExactly(TagValue.string("ev"));
        assertThat(values("statusMessage", null)).isEmpty();
    }

    @Test
    void stopsWhenTheSinkSaysSo() {
        List<String> out = new ArrayList<>();
        SpanTags.names(SOURCE, new TagRequest(Set.of(AttributeScope.SPAN), null, null, 0, 0, () -> false), new FetchStats(),
                (scope, name) -> {
                    out.add(name);
                    return false;
                });
        assertThat(out).containsExactly("k");
    }
}
