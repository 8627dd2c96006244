package io.vivace.distributor.zipkin;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Lets tests in other packages build Zipkin proto3 bodies. */
public final class ZipkinProtoTestAccess {
    private ZipkinProtoTestAccess() {}

    /** A {@code ListOfSpans} with one valid span. */
    public static byte[] listOfOneSpan() {
        try {
            return ZipkinProtoTest.listOfSpans(ZipkinProtoTest.span("48485a3953bb6124", "a2fb4a1d1a96d312", "api"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
