/**
 * The TraceQL search conformance kit, shipped in the traceql test-jar: a hand-designed dataset
 * ({@link io.vivace.traceql.engine.testing.SearchDataset}), the abstract JUnit suite every {@link
 * io.vivace.traceql.engine.TraceSource} runs ({@link
 * io.vivace.traceql.engine.testing.SearchConformanceSuite}, with {@code corpus/search.txt}), and an
 * in-memory source ({@link io.vivace.traceql.engine.testing.InMemoryTraceSource}).
 *
 * <p>Use from another module: depend on {@code io.vivace:vivace-traceql} with {@code
 * <type>test-jar</type><scope>test</scope>}, subclass the suite and return the source under test
 * from {@code sourceOf(data)}.
 */
package io.vivace.traceql.engine.testing;
