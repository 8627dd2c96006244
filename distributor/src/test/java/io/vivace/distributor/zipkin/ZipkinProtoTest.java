package io.vivace.distributor.zipkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZipkinProtoTest {

    /** Encodes a zipkin.proto Span by hand, as a reporter would. */
    static byte[] span(String traceIdHex, String idHex, String service) throws IOException {
        ByteArrayOutputStream endpoint = new ByteArrayOutputStream();
        CodedOutputStream e = CodedOutputStream.newInstance(endpoint);
        e.writeString(1, service);
        e.writeByteArray(2, new byte[] {10, 0, 0, 1});
        e.writeInt32(4, 8080);
        e.flush();

        ByteArrayOutputStream annotation = new ByteArrayOutputStream();
        CodedOutputStream a = CodedOutputStream.newInstance(annotation);
        a.writeFixed64(1, 1_700_000_000_000_500L);
        a.writeString(2, "cache miss");
        a.flush();

        ByteArrayOutputStream tag = new ByteArrayOutputStream();
        CodedOutputStream t = CodedOutputStream.newInstance(tag);
        t.writeString(1, "http.method");
        t.writeString(2, "GET");
        t.flush();

        ByteArrayOutputStream span = new ByteArrayOutputStream();
        CodedOutputStream s = CodedOutputStream.newInstance(span);
        s.writeBytes(1, ByteString.copyFrom(HexFormat.of().parseHex(traceIdHex)));
        s.writeBytes(3, ByteString.copyFrom(HexFormat.of().parseHex(idHex)));
        s.writeEnum(4, 2); // SERVER
        s.writeString(5, "get");
        s.writeFixed64(6, 1_700_000_000_000_000L);
        s.writeUInt64(7, 1500);
        s.writeByteArray(8, endpoint.toByteArray());
        s.writeByteArray(10, annotation.toByteArray());
        s.writeByteArray(11, tag.toByteArray());
        s.writeBool(13, true);
        s.writeString(99, "unknown field");
        s.flush();
        return span.toByteArray();
    }

    static byte[] listOfSpans(byte[]... spans) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        for (byte[] s : spans) {
            o.writeByteArray(1, s);
        }
        o.flush();
        return out.toByteArray();
    }

    @Test
    void decodesListOfSpans() throws IOException {
        List<ZipkinSpan> spans = ZipkinProto.parse(listOfSpans(
                span("48485a3953bb6124", "a2fb4a1d1a96d312", "api"),
                span("463ac35c9f6413ad48485a3953bb6124", "0000000000000002", "db")));
        assertThat(spans).hasSize(2);
        ZipkinSpan s = spans.get(0);
        assertThat(s.traceIdHigh()).isZero();
        assertThat(s.traceIdLow()).isEqualTo(0x48485a3953bb6124L);
        assertThat(s.id()).isEqualTo(0xa2fb4a1d1a96d312L);
        assertThat(s.kind()).isEqualTo("SERVER");
        assertThat(s.name()).isEqualTo("get");
        assertThat(s.timestampMicros()).isEqualTo(1_700_000_000_000_000L);
        assertThat(s.durationMicros()).isEqualTo(1500L);
        assertThat(s.localEndpoint()).isEqualTo(new ZipkinSpan.Endpoint("api", "10.0.0.1", null, 8080));
        assertThat(s.annotations()).containsExactly(new ZipkinSpan.Annotation(1_700_000_000_000_500L, "cache miss"));
        assertThat(s.tags()).containsExactly(java.util.Map.entry("http.method", "GET"));
        assertThat(s.shared()).isTrue();
        assertThat(spans.get(1).traceIdHigh()).isEqualTo(0x463ac35c9f6413adL);
        assertThat(ZipkinToOtlp.translate(spans)).hasSize(2);
    }

    @Test
    void rejectsGarbageAndBadIds() throws IOException {
        assertThatThrownBy(() -> ZipkinProto.parse(new byte[] {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}))
                .hasMessageStartingWith("invalid Zipkin protobuf: ");
        assertThatThrownBy(() -> ZipkinProto.parse(listOfSpans(span("0102", "a2fb4a1d1a96d312", "x"))))
                .hasMessage("span[0].trace_id: 2 bytes (expected: 8 or 16)");
        assertThatThrownBy(() -> ZipkinProto.parse(listOfSpans(span("48485a3953bb6124", "01", "x"))))
                .hasMessage("span[0].id: 1 bytes (expected: 8)");
    }
}
