package io.vivace.distributor.receiver;

import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.vivace.common.errors.VivaceException;
import io.vivace.distributor.Distributor;
import io.vivace.model.wire.OtlpWireScanner;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * OTLP/gRPC {@code opentelemetry.proto.collector.trace.v1.TraceService/Export}. The tenant comes
 * from the {@code x-scope-orgid} metadata. The call is answered from the distributor's future, on
 * the request's event loop, so no thread waits for the ingest log. Refusals are gRPC statuses with
 * a {@code google.rpc.Status} in {@code grpc-status-details-bin}; {@code RESOURCE_EXHAUSTED} carries
 * a {@code google.rpc.RetryInfo} detail, without which OTel exporters do not retry it.
 */
public final class OtlpGrpcService extends TraceServiceGrpc.TraceServiceImplBase {
    private final Distributor distributor;

    /** Creates the service. */
    public OtlpGrpcService(Distributor distributor) {
        this.distributor = Objects.requireNonNull(distributor, "distributor");
    }

    @Override
    public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> observer) {
        ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        String tenantHeader = ctx == null ? null : ctx.request().headers().get(Receivers.ORG_ID_HEADER);
        Executor executor = ctx == null ? Runnable::run : ctx.eventLoop();
        if (observer instanceof ServerCallStreamObserver<ExportTraceServiceResponse> call) {
            // A cancelled call is simply not answered; without a handler grpc-java would throw on onNext.
            call.setOnCancelHandler(() -> { });
        }
        CompletableFuture<Void> pushed;
        try {
            byte[] encoded = request.toByteArray();
            // Checked on the wire form, so the batch carries bytes only.
            pushed = distributor.push(tenantHeader, OtlpWireScanner.scan(encoded), encoded, encoded.length);
        } catch (RuntimeException e) {
            pushed = CompletableFuture.failedFuture(e);
        }
        pushed.whenCompleteAsync((ignored, error) -> {
            if (observer instanceof ServerCallStreamObserver<ExportTraceServiceResponse> call && call.isCancelled()) {
                return;
            }
            if (error == null) {
                observer.onNext(ExportTraceServiceResponse.getDefaultInstance());
                observer.onCompleted();
            } else {
                VivaceException e = Refusals.unwrap(error);
                observer.onError(StatusProto.toStatusRuntimeException(Refusals.rpcStatus(e)));
            }
        }, executor);
    }
}
