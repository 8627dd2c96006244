package io.vivace.traceql.ast;

/** The stage {@code coalesce()}: merges all spansets of a trace back into one. */
public record Coalesce() implements PipelineStage {
    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
