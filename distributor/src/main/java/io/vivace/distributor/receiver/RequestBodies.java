package io.vivace.distributor.receiver;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpHeaders;
import io.vivace.common.errors.ErrorCategory;
import io.vivace.common.errors.VivaceException;
import io.vivace.distributor.Distributor;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/** Request bodies of the HTTP receivers: {@code Content-Encoding} decoding under a size limit. */
final class RequestBodies {
    private RequestBodies() {}

    /**
     * Returns the body, decompressed as its {@code Content-Encoding} says ({@code gzip}, {@code x-gzip},
     * {@code deflate} or {@code identity}), never larger than {@code maxBytes}.
     *
     * @throws VivaceException 415 for another encoding, 400 for a corrupt or truncated stream, 413
     *     when the decompressed body exceeds {@code maxBytes}
     */
    static byte[] decode(HttpHeaders headers, HttpData content, long maxBytes) {
        String encoding = headers.get(HttpHeaderNames.CONTENT_ENCODING);
        String e = encoding == null ? "" : encoding.trim().toLowerCase(Locale.ROOT);
        switch (e) {
            case "", "identity" -> {
                if (content.length() > maxBytes) {
                    throw tooLarge(maxBytes);
                }
                return content.array();
            }
            case "gzip", "x-gzip" -> {
                try (InputStream in = new GZIPInputStream(content.toInputStream(), 8192)) {
                    return readBounded(in, maxBytes);
                } catch (IOException ex) {
                    throw corrupt("gzip", ex);
                }
            }
            case "deflate" -> {
                // HTTP's "deflate" is zlib-wrapped, but some clients send raw deflate: try both.
                try (InputStream in = new InflaterInputStream(content.toInputStream(), new Inflater(false), 8192)) {
                    return readBounded(in, maxBytes);
                } catch (ZipException zlibFailed) {
                    Inflater raw = new Inflater(true);
                    try (InputStream in = new InflaterInputStream(content.toInputStream(), raw, 8192)) {
                        return readBounded(in, maxBytes);
                    } catch (IOException ex) {
                        throw corrupt("deflate", ex);
                    } finally {
                        raw.end();
                    }
                } catch (IOException ex) {
                    throw corrupt("deflate", ex);
                }
            }
            default -> throw new VivaceException(ErrorCategory.UNSUPPORTED_MEDIA_TYPE, Distributor.REASON_BAD_REQUEST,
                    "unsupported Content-Encoding: " + encoding + " (expected: gzip, deflate or identity)");
        }
    }

    private static byte[] readBounded(InputStream in, long maxBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > maxBytes) {
                throw tooLarge(maxBytes);
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static VivaceException tooLarge(long maxBytes) {
        return new VivaceException(ErrorCategory.PAYLOAD_TOO_LARGE, Distributor.REASON_TOO_LARGE,
                "request body is larger than " + maxBytes + " bytes after decompression"
                        + " (limit: max_request_body_size of the receiver)");
    }

    private static VivaceException corrupt(String encoding, IOException e) {
        String why = e instanceof EOFException ? "unexpected end of " + encoding + " stream (truncated body?)"
                : String.valueOf(e.getMessage());
        return VivaceException.invalid(Distributor.REASON_BAD_REQUEST, "failed to decompress the " + encoding + " body: " + why);
    }
}
