package io.vivace.storage.object;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The S3 store against a real S3 server: S3Proxy in-process on a random loopback port, with a fresh
 * in-memory bucket for every test.
 */
class S3ObjectStoreTest extends ObjectStoreContract {
    static final String ACCESS_KEY = "vivace-access";
    static final String SECRET_KEY = "vivace-secret";
    static final String BUCKET = "traces";

    // An instance field: S3ProxyExtension starts and stops per test and does not work as a static.
    @RegisterExtension
    final S3ProxyExtension s3Proxy = S3ProxyExtension.builder()
            .withBlobStoreProvider("transient")
            .withCredentials(ACCESS_KEY, SECRET_KEY)
            .build();

    private S3Config config(String prefix) {
        return S3TestSupport.config(s3Proxy.getUri(), BUCKET, ACCESS_KEY, SECRET_KEY, prefix);
    }

    @Override
    protected ObjectStore newStore() throws Exception {
        S3TestSupport.createBucket(s3Proxy.getUri(), ACCESS_KEY, SECRET_KEY, BUCKET);
        return S3ObjectStore.open(config(""));
    }

    /** The whole contract again with every key under a prefix. */
    @Nested
    class UnderAPrefix extends ObjectStoreContract {
        @Override
        protected ObjectStore newStore() throws Exception {
            S3TestSupport.createBucket(s3Proxy.getUri(), ACCESS_KEY, SECRET_KEY, BUCKET);
            try (S3ObjectStore neighbour = S3ObjectStore.open(config("neighbour"))) {
                // Objects beside the prefix must stay invisible to every listing of the store under test.
                neighbour.write("t1/b9/data", new byte[] {1});
                neighbour.write("top", new byte[] {1});
            }
            return S3ObjectStore.open(config("/deploy/vivace/"));
        }
    }

    @Test
    void largeObjectsAreUploadedInPartsAndReadBackWhole() throws Exception {
        long partSize = S3Config.MIN_PART_SIZE;
        byte[] data = new byte[(int) (2 * partSize + 12345)];
        new Random(42).nextBytes(data);
        try (S3ObjectStore s3 = S3ObjectStore.open(S3TestSupport.withPartSize(config("p"), partSize));
                S3Client raw = S3TestSupport.rawClient(s3Proxy.getUri(), ACCESS_KEY, SECRET_KEY)) {
            s3.write("t/b/data", data);
            assertThat(s3.size("t/b/data")).isEqualTo(data.length);
            assertThat(s3.read("t/b/data")).isEqualTo(data);
            // A range across the boundary between part 1 and part 2.
            assertThat(s3.readRange("t/b/data", partSize - 10, 20))
                    .isEqualTo(Arrays.copyOfRange(data, (int) partSize - 10, (int) partSize + 10));
            // S3 marks the ETag of a multipart object with its part count.
            assertThat(raw.headObject(b -> b.bucket(BUCKET).key("p/t/b/data")).eTag()).endsWith("-3\"");
            assertThat(raw.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
            // At the threshold: one PUT.
            byte[] exact = Arrays.copyOf(data, (int) partSize);
            s3.write("t/b/exact", exact);
            assertThat(s3.read("t/b/exact")).isEqualTo(exact);
            assertThat(raw.headObject(b -> b.bucket(BUCKET).key("p/t/b/exact")).eTag()).doesNotContain("-");
        }
    }

    @Test
    void storesWithDifferentPrefixesShareABucketWithoutSeeingEachOther() throws Exception {
        S3TestSupport.createBucket(s3Proxy.getUri(), ACCESS_KEY, SECRET_KEY, "shared");
        S3Config base = S3TestSupport.config(s3Proxy.getUri(), "shared", ACCESS_KEY, SECRET_KEY, "");
        try (S3ObjectStore a = S3ObjectStore.open(S3TestSupport.config(s3Proxy.getUri(), "shared", ACCESS_KEY, SECRET_KEY, "a"));
                S3ObjectStore ab = S3ObjectStore.open(S3TestSupport.config(s3Proxy.getUri(), "shared", ACCESS_KEY, SECRET_KEY, "ab/"));
                S3ObjectStore root = S3ObjectStore.open(base)) {
            a.write("t/b/meta.json", "from a".getBytes(UTF_8));
            ab.write("t/b/meta.json", "from ab".getBytes(UTF_8));
            ab.write("t/c/meta.json", "from ab".getBytes(UTF_8));

            assertThat(a.list("")).containsExactly("t/b/meta.json");
            assertThat(a.listChildren("t/")).containsExactly("b");
            assertThat(a.read("t/b/meta.json")).asString(UTF_8).isEqualTo("from a");
            assertThat(ab.list("")).containsExactly("t/b/meta.json", "t/c/meta.json");
            assertThat(ab.read("t/b/meta.json")).asString(UTF_8).isEqualTo("from ab");
            assertThatThrownBy(() -> a.read("t/c/meta.json")).isInstanceOf(ObjectNotFoundException.class);

            // Without a prefix the store sees both trees as they lie in the bucket.
            assertThat(root.list("")).containsExactly("a/t/b/meta.json", "ab/t/b/meta.json", "ab/t/c/meta.json");
            assertThat(root.listChildren("")).containsExactly("a", "ab");

            a.delete("t/b/meta.json");
            assertThat(ab.read("t/b/meta.json")).asString(UTF_8).isEqualTo("from ab");
        }
    }

    @Test
    void aMissingBucketFailsOnOpenNamingIt() {
        assertThatThrownBy(() -> S3ObjectStore.open(S3TestSupport.config(s3Proxy.getUri(), "no-such-bucket", ACCESS_KEY, SECRET_KEY, "")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no-such-bucket")
                .hasMessageContaining("does not exist");
    }

    @Test
    void wrongCredentialsFailOnOpenSayingAccessIsDenied() {
        assertThatThrownBy(() -> S3ObjectStore.open(S3TestSupport.config(s3Proxy.getUri(), BUCKET, ACCESS_KEY, "wrong", "")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(BUCKET)
                .hasMessageContaining("access denied")
                .hasMessageContaining("403");
    }

    @Test
    void failuresOtherThanAMissingKeyNameBucketKeyAndErrorCode() throws Exception {
        try (S3Client raw = S3TestSupport.rawClient(s3Proxy.getUri(), ACCESS_KEY, SECRET_KEY)) {
            raw.deleteBucket(b -> b.bucket(BUCKET));
            assertThatThrownBy(() -> store.read("t/b/data"))
                    .isInstanceOf(IOException.class)
                    .isNotInstanceOf(ObjectNotFoundException.class)
                    .hasMessageContaining("s3://" + BUCKET + "/t/b/data")
                    .hasMessageContaining("NoSuchBucket");
            assertThatThrownBy(() -> store.write("t/b/data", new byte[] {1}))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("PutObject")
                    .hasMessageContaining("NoSuchBucket");
            assertThatThrownBy(() -> store.list("t/"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("NoSuchBucket");
        }
    }

    @Test
    void anUnreachableServerFailsAfterBoundedRetriesAndTheStoreRecoversWhenItReturns() throws Exception {
        int port = S3TestSupport.freePort();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        TransientNio2BlobStore blobs = new TransientNio2BlobStore();
        S3Proxy proxy = startProxy(blobs, endpoint);
        try {
            S3TestSupport.createBucket(endpoint, ACCESS_KEY, SECRET_KEY, BUCKET);
            try (S3ObjectStore s3 = S3ObjectStore.open(S3TestSupport.config(endpoint, BUCKET, ACCESS_KEY, SECRET_KEY, ""))) {
                s3.write("t/b/data", "before".getBytes(UTF_8));

                proxy.stop();
                for (ThrowingCall call : new ThrowingCall[] {
                        () -> s3.read("t/b/data"), () -> s3.write("t/b/other", new byte[] {1}), () -> s3.list("t/")}) {
                    long start = System.nanoTime();
                    assertThatThrownBy(call::run)
                            .isInstanceOf(IOException.class)
                            .isNotInstanceOf(ObjectNotFoundException.class)
                            .hasMessageContaining("s3://" + BUCKET + "/t/")
                            // max_retries = 2: the SDK attaches the two earlier attempts' failures.
                            .satisfies(e -> assertThat(e.getCause().getSuppressed()).hasSize(2));
                    // Three attempts with sub-second backoff against a closed port: well under the bound.
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
                }

                proxy = startProxy(blobs, endpoint);
                assertThat(s3.read("t/b/data")).asString(UTF_8).isEqualTo("before");
                s3.write("t/b/after", "after".getBytes(UTF_8));
                assertThat(s3.list("t/")).containsExactly("t/b/after", "t/b/data");
            }
        } finally {
            proxy.stop();
            blobs.close();
        }
    }

    @Test
    void aFailedMultipartUploadIsRetriedThenAbortedAndLeavesNothing() throws Exception {
        int port = S3TestSupport.freePort();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        AtomicInteger part2Attempts = new AtomicInteger();
        AtomicInteger aborts = new AtomicInteger();
        // A real server whose store fails every upload of part 2 with a 500 InternalError.
        BlobStore blobs = new ForwardingBlobStore(new TransientNio2BlobStore()) {
            @Override
            public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request, InputStream body) {
                if (request.partNumber() == 2) {
                    part2Attempts.incrementAndGet();
                    try {
                        // Read the body as a real server would before answering, so the client sees the 500.
                        body.transferTo(OutputStream.nullOutputStream());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    throw new S3ProxyException(S3ErrorCode.INTERNAL_ERROR, "injected failure of part 2");
                }
                return super.uploadMultipartPart(upload, request, body);
            }

            @Override
            public void abortMultipartUpload(MultipartUpload upload) {
                aborts.incrementAndGet();
                super.abortMultipartUpload(upload);
            }
        };
        S3Proxy proxy = startProxy(blobs, endpoint);
        try (S3Client raw = S3TestSupport.rawClient(endpoint, ACCESS_KEY, SECRET_KEY)) {
            S3TestSupport.createBucket(endpoint, ACCESS_KEY, SECRET_KEY, BUCKET);
            S3Config config = S3TestSupport.withPartSize(S3TestSupport.config(endpoint, BUCKET, ACCESS_KEY, SECRET_KEY, ""), 1024 * 1024);
            try (S3ObjectStore s3 = S3ObjectStore.open(config)) {
                assertThatThrownBy(() -> s3.write("t/b/data", new byte[3 * 1024 * 1024]))
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("UploadPart s3://" + BUCKET + "/t/b/data")
                        .hasMessageContaining("500 InternalError");
                assertThat(part2Attempts).hasValue(3); // the first attempt and max_retries = 2 more
                assertThat(aborts).hasValue(1);
                assertThat(raw.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
                assertThat(s3.list("")).isEmpty();
            }
        } finally {
            proxy.stop();
            blobs.close();
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOutInsteadOfHanging() throws Exception {
        // A listening socket that nobody accepts from: connections complete (the kernel's backlog), reads never do.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            S3Config d = S3Config.defaults();
            S3Config config = new S3Config(BUCKET, "", "127.0.0.1:" + silent.getLocalPort(), d.region(), ACCESS_KEY,
                    SECRET_KEY, "", true, true, d.partSize(), 1, Duration.ofMillis(500), Duration.ofMillis(300), 0);
            long start = System.nanoTime();
            assertThatThrownBy(() -> S3ObjectStore.open(config))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(BUCKET)
                    .hasMessageContaining("cannot reach http://127.0.0.1:" + silent.getLocalPort());
            // Two attempts of 300 ms each plus backoff.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }

    private static S3Proxy startProxy(BlobStore blobs, URI endpoint) throws Exception {
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobs)
                .endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start on " + endpoint + ": " + proxy.getState());
            }
            Thread.sleep(10);
        }
        return proxy;
    }
}
