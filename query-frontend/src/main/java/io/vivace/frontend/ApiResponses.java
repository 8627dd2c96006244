package io.vivace.frontend;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.google.protobuf.Message;
import io.vivace.common.errors.VivaceException;
import io.vivace.model.json.TempoJson;

/** Tempo's response conventions: plain-text error bodies, protobuf or JSON by the Accept header. */
final class ApiResponses {
    static final MediaType PROTOBUF = MediaType.parse("application/protobuf");

    private ApiResponses() {}

    /** Response format chosen from {@code Accept} as Tempo does: substring match, protobuf first. */
    static boolean wantsProtobuf(String accept) {
        return accept != null && accept.contains("application/protobuf");
    }

    static HttpResponse message(Message m, boolean protobuf) {
        if (protobuf) {
            return HttpResponse.of(HttpStatus.OK, PROTOBUF, m.toByteArray());
        }
        return HttpResponse.of(HttpStatus.OK, MediaType.JSON, TempoJson.print(m));
    }

    static HttpResponse json(String json) {
        return HttpResponse.of(HttpStatus.OK, MediaType.JSON, json);
    }

    /** A plain-text error body ending in a newline, as Grafana shows it verbatim. */
    static HttpResponse error(int status, String message) {
        return HttpResponse.of(ResponseHeaders.of(HttpStatus.valueOf(status), HttpHeaderNames.CONTENT_TYPE, MediaType.PLAIN_TEXT_UTF_8),
                com.linecorp.armeria.common.HttpData.ofUtf8(message.endsWith("\n") ? message : message + "\n"));
    }

    static HttpResponse error(VivaceException e) {
        return error(e.category().httpStatus(), e.getMessage());
    }

    static HttpResponse notFound() {
        return HttpResponse.of(ResponseHeaders.of(HttpStatus.NOT_FOUND));
    }
}
