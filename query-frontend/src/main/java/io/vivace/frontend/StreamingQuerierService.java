package io.vivace.frontend;

import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.vivace.common.errors.VivaceException;
import io.vivace.model.tempopb.QueryInstantRequest;
import io.vivace.model.tempopb.QueryInstantResponse;
import io.vivace.model.tempopb.QueryRangeRequest;
import io.vivace.model.tempopb.QueryRangeResponse;
import io.vivace.model.tempopb.SearchRequest;
import io.vivace.model.tempopb.SearchResponse;
import io.vivace.model.tempopb.SearchTagValuesRequest;
import io.vivace.model.tempopb.SearchTagValuesResponse;
import io.vivace.model.tempopb.SearchTagValuesV2Response;
import io.vivace.model.tempopb.SearchTagsRequest;
import io.vivace.model.tempopb.SearchTagsResponse;
import io.vivace.model.tempopb.SearchTagsV2Response;
import io.vivace.model.tempopb.StreamingQuerierGrpc;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tempo's {@code tempopb.StreamingQuerier} gRPC service, as Grafana calls it with streaming enabled
 * (api.md §4): served on the HTTP port over h2c and on the internal gRPC port. A search sends
 * progress messages (new traces, cumulative metrics) at most every 500 ms while jobs complete, then
 * one final message with every trace, then closes OK. Tag calls answer with one message.
 */
final class StreamingQuerierService extends StreamingQuerierGrpc.StreamingQuerierImplBase {
    private static final Logger log = LoggerFactory.getLogger(StreamingQuerierService.class);

    private final SearchApi api;
    private final Function<String, List<String>> tenants;

    StreamingQuerierService(SearchApi api, Function<String, List<String>> tenants) {
        this.api = api;
        this.tenants = tenants;
    }

    @Override
    public void search(SearchRequest request, StreamObserver<SearchResponse> out) {
        run(out, cancelled -> {
            SearchApi.SearchParams p = api.searchParams(request);
            Object lock = new Object();
            SearchResponse last = api.search(tenants(), p, diff -> {
                synchronized (lock) {
                    if (!cancelled.getAsBoolean()) {
                        out.onNext(diff);
                    }
                }
            }, cancelled);
            synchronized (lock) {
                return last;
            }
        });
    }

    @Override
    public void searchTags(SearchTagsRequest request, StreamObserver<SearchTagsResponse> out) {
        run(out, cancelled -> api.tagNamesV1(tenants(), api.tagParams(request), cancelled));
    }

    @Override
    public void searchTagsV2(SearchTagsRequest request, StreamObserver<SearchTagsV2Response> out) {
        run(out, cancelled -> api.tagNames(tenants(), api.tagParams(request), cancelled));
    }

    @Override
    public void searchTagValues(SearchTagValuesRequest request, StreamObserver<SearchTagValuesResponse> out) {
        run(out, cancelled -> api.tagValuesV1(tenants(), api.tagValueParams(request, false), cancelled));
    }

    @Override
    public void searchTagValuesV2(SearchTagValuesRequest request, StreamObserver<SearchTagValuesV2Response> out) {
        run(out, cancelled -> api.tagValues(tenants(), api.tagValueParams(request, true), cancelled));
    }

    @Override
    public void metricsQueryRange(QueryRangeRequest request, StreamObserver<QueryRangeResponse> out) {
        out.onError(Status.UNIMPLEMENTED.withDescription("TraceQL metrics are not served yet").asRuntimeException());
    }

    @Override
    public void metricsQueryInstant(QueryInstantRequest request, StreamObserver<QueryInstantResponse> out) {
        out.onError(Status.UNIMPLEMENTED.withDescription("TraceQL metrics are not served yet").asRuntimeException());
    }

    private List<String> tenants() {
        return tenants.apply(ServiceRequestContext.current().request().headers().get("x-scope-orgid"));
    }

    private interface Call<T> {
        T run(BooleanSupplier cancelled);
    }

    private static <T> void run(StreamObserver<T> out, Call<T> call) {
        BooleanSupplier cancelled = out instanceof ServerCallStreamObserver<T> s ? s::isCancelled : () -> false;
        T last;
        try {
            last = call.run(cancelled);
        } catch (VivaceException e) {
            out.onError(new StatusRuntimeException(Status.fromCodeValue(e.category().grpcCode()).withDescription(e.getMessage())));
            return;
        } catch (RuntimeException e) {
            log.error("event=streaming_query_failed", e);
            out.onError(Status.INTERNAL.withDescription("internal error: " + e).asRuntimeException());
            return;
        }
        if (!cancelled.getAsBoolean()) {
            out.onNext(last);
            out.onCompleted();
        }
    }
}
