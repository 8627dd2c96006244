package io.vivace.storage.object;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * An {@link ObjectStore} in an S3 bucket (AWS S3, MinIO or any S3 API), through the AWS SDK v2.
 *
 * <p>How the interface's semantics map onto S3:
 * <ul>
 *   <li>{@link #write} is one {@code PutObject}, or for objects larger than
 *       {@link S3Config#partSize()} a multipart upload, which S3 makes visible only when
 *       {@code CompleteMultipartUpload} succeeds and which is aborted when any step fails. Either
 *       way readers see the whole new object or the previous state, and S3 has stored it durably
 *       when the call returns. Each body carries a {@code Content-MD5} that S3 checks.</li>
 *   <li>{@link #list} pages through {@code ListObjectsV2}; S3 lists in UTF-8 byte order and the
 *       result is sorted again with {@link ObjectKeys#UTF8_ORDER}, which costs a linear pass on
 *       sorted input and protects against servers that sort otherwise.
 *       {@link #listChildren} is the same listing with delimiter {@code /} (common prefixes).</li>
 *   <li>{@link #readRange} is a {@code GET} with an HTTP {@code Range}; a range past the end (HTTP
 *       416, or fewer bytes than asked) is an {@link EOFException}. A zero-length range asks only
 *       for the object's size.</li>
 *   <li>A missing key ({@code NoSuchKey}, or 404 on {@code HEAD}) is an
 *       {@link ObjectNotFoundException}; every other failure is an {@link IOException} naming the
 *       operation, {@code s3://bucket/key}, the HTTP status and S3's error code.</li>
 * </ul>
 *
 * <p>Every key is stored under {@link S3Config#keyPrefix()}, so several stores (or deployments) can
 * share a bucket without seeing each other's keys.
 *
 * <p>Failed requests (connection errors, timeouts, throttling, 5xx) are retried
 * {@link S3Config#maxRetries()} times with exponential backoff and jitter; connect and read timeouts
 * bound each attempt, so a vanished endpoint is an {@link IOException} after bounded time, never a
 * hang. Thread-safe: the SDK client is, and the store keeps no other state.
 */
public final class S3ObjectStore implements ObjectStore {
    private static final Logger log = LoggerFactory.getLogger(S3ObjectStore.class);

    private final S3Client client;
    private final AwsCredentialsProvider credentials;
    private final String bucket;
    private final String keyPrefix;
    private final long partSize;

    private S3ObjectStore(S3Client client, AwsCredentialsProvider credentials, String bucket, String keyPrefix, long partSize) {
        this.client = client;
        this.credentials = credentials;
        this.bucket = bucket;
        this.keyPrefix = keyPrefix;
        this.partSize = partSize;
    }

    /**
     * Connects to the bucket of {@code config} and checks that it exists and that the credentials
     * may use it.
     *
     * @throws IllegalArgumentException when {@code config} has no bucket or an invalid endpoint or prefix
     * @throws IOException when the bucket is missing, access is denied or the endpoint cannot be
     *     reached, with a message saying which
     */
    public static S3ObjectStore open(S3Config config) throws IOException {
        Objects.requireNonNull(config, "config");
        if (S3Config.isBlank(config.bucket())) {
            throw new IllegalArgumentException("bucket: empty (expected: the name of an existing bucket)");
        }
        if (config.partSize() <= 0) {
            throw new IllegalArgumentException("partSize: " + config.partSize() + " (expected: > 0)");
        }
        if (config.maxRetries() < 0) {
            throw new IllegalArgumentException("maxRetries: " + config.maxRetries() + " (expected: >= 0)");
        }
        URI endpoint = config.endpointUri();
        String keyPrefix = config.keyPrefix();
        AwsCredentialsProvider credentials = credentialsProvider(config);
        S3Client client;
        try {
            client = client(config, endpoint, credentials);
        } catch (RuntimeException e) {
            closeQuietly(credentials, e);
            throw e;
        }
        S3ObjectStore store = new S3ObjectStore(client, credentials, config.bucket(), keyPrefix, config.partSize());
        try {
            store.checkBucket(endpoint);
        } catch (IOException | RuntimeException e) {
            try {
                store.close();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        log.info("S3 object store: bucket={} prefix={} endpoint={}", config.bucket(), keyPrefix,
                endpoint == null ? "aws:" + config.region() : endpoint);
        return store;
    }

    private static AwsCredentialsProvider credentialsProvider(S3Config config) {
        if (!config.hasStaticCredentials()) {
            return DefaultCredentialsProvider.builder().build();
        }
        if (S3Config.isBlank(config.sessionToken())) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey(), config.secretKey()));
        }
        return StaticCredentialsProvider.create(
                AwsSessionCredentials.create(config.accessKey(), config.secretKey(), config.sessionToken()));
    }

    private static S3Client client(S3Config config, URI endpoint, AwsCredentialsProvider credentials) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(S3Config.isBlank(config.region()) ? "us-east-1" : config.region().strip()))
                .credentialsProvider(credentials)
                .forcePathStyle(config.forcePathStyle())
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(config.connectTimeout())
                        .socketTimeout(config.readTimeout()))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(config.maxRetries() + 1)
                                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(5)))
                                .throttlingBackoffStrategy(
                                        BackoffStrategy.exponentialDelay(Duration.ofMillis(500), Duration.ofSeconds(20)))
                                .build())
                        .build())
                // Checksums only where S3 requires them: the SDK's newer default (CRC32 headers and
                // aws-chunked trailers) is rejected by several S3-compatible servers. Bodies carry a
                // Content-MD5 instead, which every S3 API checks.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    private void checkBucket(URI endpoint) throws IOException {
        String where = endpoint == null ? "AWS S3" : endpoint.toString();
        try {
            client.headBucket(b -> b.bucket(bucket));
        } catch (AwsServiceException e) {
            String hint = switch (e.statusCode()) {
                case 404 -> "the bucket does not exist at " + where + " (create it first)";
                case 403 -> "access denied by " + where + " (check access_key and secret_key, and the bucket policy)";
                case 301, 307 -> "the bucket is in another region than the configured one" + bucketRegion(e);
                case 400 -> "the endpoint rejected the request; check region and endpoint (" + where + ")";
                default -> "unexpected answer from " + where;
            };
            throw new IOException("S3 bucket " + bucket + ": " + hint + ": " + describe(e), e);
        } catch (AbortedException e) {
            throw interrupted("HeadBucket", "", e);
        } catch (SdkException e) {
            throw new IOException("S3 bucket " + bucket + ": cannot reach " + where + ": " + e.getMessage(), e);
        }
    }

    private static String bucketRegion(AwsServiceException e) {
        if (e.awsErrorDetails() == null || e.awsErrorDetails().sdkHttpResponse() == null) {
            return "";
        }
        return e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region")
                .map(r -> " (" + r + ")").orElse("");
    }

    /** The bucket. */
    public String bucket() {
        return bucket;
    }

    /** The prefix every key is stored under ({@code ""} or ending in {@code /}). */
    public String keyPrefix() {
        return keyPrefix;
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        Objects.requireNonNull(prefix, "prefix");
        List<String> keys = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : client.listObjectsV2Paginator(listRequest(prefix, false))) {
                for (S3Object object : page.contents()) {
                    String key = stripPrefix(object.key());
                    // Console-made "directory" markers end in '/'; they are not objects of ours.
                    if (key != null && !key.isEmpty() && !key.endsWith("/")) {
                        keys.add(key);
                    }
                }
            }
        } catch (SdkException e) {
            throw failure("ListObjectsV2", prefix, e);
        }
        keys.sort(ObjectKeys.UTF8_ORDER);
        return keys;
    }

    @Override
    public List<String> listChildren(String prefix) throws IOException {
        ObjectKeys.validateDirectoryPrefix(prefix);
        List<String> children = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : client.listObjectsV2Paginator(listRequest(prefix, true))) {
                for (CommonPrefix common : page.commonPrefixes()) {
                    String full = stripPrefix(common.prefix());
                    if (full == null || full.length() <= prefix.length() + 1) {
                        continue; // an empty segment ("a//b"): never one of our keys
                    }
                    children.add(full.substring(prefix.length(), full.length() - 1));
                }
            }
        } catch (SdkException e) {
            throw failure("ListObjectsV2", prefix, e);
        }
        children.sort(ObjectKeys.UTF8_ORDER);
        List<String> distinct = new ArrayList<>(children.size());
        for (String child : children) {
            if (distinct.isEmpty() || !distinct.get(distinct.size() - 1).equals(child)) {
                distinct.add(child);
            }
        }
        return distinct;
    }

    private ListObjectsV2Request listRequest(String prefix, boolean delimited) {
        ListObjectsV2Request.Builder b = ListObjectsV2Request.builder()
                .bucket(bucket)
                .prefix(keyPrefix + prefix)
                // Keys travel URL-encoded (the SDK decodes them), so that no key can break the XML.
                .encodingType(EncodingType.URL);
        if (delimited) {
            b.delimiter("/");
        }
        return b.build();
    }

    private String stripPrefix(String stored) {
        return stored != null && stored.startsWith(keyPrefix) ? stored.substring(keyPrefix.length()) : null;
    }

    @Override
    public byte[] read(String key) throws IOException {
        String stored = stored(key);
        try {
            return client.getObjectAsBytes(b -> b.bucket(bucket).key(stored)).asByteArrayUnsafe();
        } catch (NoSuchKeyException e) {
            throw new ObjectNotFoundException(key);
        } catch (SdkException e) {
            throw notFoundOr("GetObject", key, e);
        }
    }

    @Override
    public byte[] readRange(String key, long offset, int length) throws IOException {
        InMemoryObjectStore.checkRange(offset, length);
        String stored = stored(key);
        if (length == 0) {
            long size = size(key);
            if (offset > size) {
                throw pastEnd(key, offset, length, size);
            }
            return new byte[0];
        }
        ResponseBytes<GetObjectResponse> response;
        try {
            response = client.getObjectAsBytes(b -> b.bucket(bucket).key(stored)
                    .range("bytes=" + offset + "-" + (offset + length - 1)));
        } catch (NoSuchKeyException e) {
            throw new ObjectNotFoundException(key);
        } catch (AwsServiceException e) {
            if (e.statusCode() == 416) {
                EOFException eof = new EOFException("readRange " + key + ": offset " + offset
                        + " (expected: < object size; S3 answered 416 " + errorCode(e) + ")");
                eof.initCause(e);
                throw eof;
            }
            throw notFoundOr("GetObject", key, e);
        } catch (SdkException e) {
            throw failure("GetObject", key, e);
        }
        byte[] bytes = response.asByteArrayUnsafe();
        if (response.response().contentRange() == null) {
            // The server ignored the Range header and sent the whole object.
            if (offset + length > bytes.length) {
                throw pastEnd(key, offset, length, bytes.length);
            }
            return Arrays.copyOfRange(bytes, (int) offset, (int) offset + length);
        }
        if (bytes.length < length) {
            throw pastEnd(key, offset, length, totalSize(response.response().contentRange(), offset + bytes.length));
        }
        return bytes;
    }

    /** The object size from {@code Content-Range: bytes 8-9/10}, or {@code fallback} when it has none. */
    private static long totalSize(String contentRange, long fallback) {
        int slash = contentRange.lastIndexOf('/');
        if (slash >= 0) {
            try {
                return Long.parseLong(contentRange.substring(slash + 1).strip());
            } catch (NumberFormatException e) {
                return fallback; // "*": size unknown
            }
        }
        return fallback;
    }

    private static EOFException pastEnd(String key, long offset, int length, long size) {
        return new EOFException("readRange " + key + ": offset + length = " + (offset + length)
                + " (expected: <= object size " + size + ")");
    }

    @Override
    public long size(String key) throws IOException {
        String stored = stored(key);
        try {
            return client.headObject(b -> b.bucket(bucket).key(stored)).contentLength();
        } catch (NoSuchKeyException e) {
            throw new ObjectNotFoundException(key);
        } catch (SdkException e) {
            throw notFoundOr("HeadObject", key, e);
        }
    }

    @Override
    public void write(String key, byte[] data) throws IOException {
        String stored = stored(key);
        Objects.requireNonNull(data, "data");
        if (data.length <= partSize) {
            try {
                client.putObject(b -> b.bucket(bucket).key(stored).contentLength((long) data.length)
                        .contentMD5(md5(data, 0, data.length)), body(data, 0, data.length));
            } catch (SdkException e) {
                throw failure("PutObject", key, e);
            }
            return;
        }
        writeMultipart(key, stored, data);
    }

    /**
     * Uploads {@code data} in parts of {@link #partSize} bytes, one after another. The object appears
     * only when the upload completes; on any failure the upload is aborted so that its parts do not
     * linger (and cost) in the bucket.
     */
    private void writeMultipart(String key, String stored, byte[] data) throws IOException {
        String uploadId;
        try {
            uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key(stored)).uploadId();
        } catch (SdkException e) {
            throw failure("CreateMultipartUpload", key, e);
        }
        String operation = "UploadPart";
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int partNumber = 1;
            for (int offset = 0; offset < data.length; partNumber++) {
                int length = (int) Math.min(partSize, data.length - offset);
                int number = partNumber;
                int from = offset;
                UploadPartResponse part = client.uploadPart(b -> b.bucket(bucket).key(stored).uploadId(uploadId)
                        .partNumber(number).contentLength((long) length).contentMD5(md5(data, from, length)),
                        body(data, from, length));
                parts.add(CompletedPart.builder().partNumber(number).eTag(part.eTag()).build());
                offset += length;
            }
            operation = "CompleteMultipartUpload";
            client.completeMultipartUpload(b -> b.bucket(bucket).key(stored).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (RuntimeException e) {
            IOException failure = e instanceof SdkException sdk ? failure(operation, key, sdk) : null;
            try {
                client.abortMultipartUpload(b -> b.bucket(bucket).key(stored).uploadId(uploadId));
            } catch (SdkException abortFailure) {
                // The bucket's lifecycle rule for incomplete uploads is the safety net (see RATIONALE.md).
                (failure != null ? failure : e).addSuppressed(abortFailure);
                log.warn("S3 object store: could not abort multipart upload {} of s3://{}/{}: {}", uploadId, bucket,
                        stored, abortFailure.getMessage());
            }
            if (failure != null) {
                throw failure;
            }
            throw e;
        }
    }

    @Override
    public void delete(String key) throws IOException {
        String stored = stored(key);
        try {
            // S3 answers 204 for a missing key too, which is the interface's no-op.
            client.deleteObject(b -> b.bucket(bucket).key(stored));
        } catch (SdkException e) {
            throw failure("DeleteObject", key, e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            client.close();
        } finally {
            closeQuietly(credentials, null);
        }
    }

    private String stored(String key) {
        return keyPrefix + ObjectKeys.validateKey(key);
    }

    /** A body the SDK can read again for each retry, without copying {@code data}. */
    private static RequestBody body(byte[] data, int offset, int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, offset, length), length,
                "application/octet-stream");
    }

    private static String md5(byte[] data, int offset, int length) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(data, offset, length);
            return Base64.getEncoder().encodeToString(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is a required JDK algorithm", e);
        }
    }

    private IOException notFoundOr(String operation, String key, SdkException e) {
        // NoSuchKey in the body, or a bodyless 404 (HEAD). NoSuchBucket is also 404 but a real failure.
        if (e instanceof AwsServiceException ase && ase.statusCode() == 404) {
            String code = ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorCode();
            if (code == null || code.isEmpty() || code.equals("NoSuchKey") || code.equals("NotFound")) {
                ObjectNotFoundException notFound = new ObjectNotFoundException(key);
                notFound.initCause(e);
                return notFound;
            }
        }
        return failure(operation, key, e);
    }

    private IOException failure(String operation, String key, SdkException e) {
        if (e instanceof AbortedException) {
            return interrupted(operation, key, e);
        }
        String where = "s3://" + bucket + "/" + keyPrefix + key;
        if (e instanceof AwsServiceException ase) {
            return new IOException("S3 " + operation + " " + where + " failed: " + describe(ase), e);
        }
        return new IOException("S3 " + operation + " " + where + " failed: " + e.getMessage(), e);
    }

    private InterruptedIOException interrupted(String operation, String key, SdkException e) {
        Thread.currentThread().interrupt();
        InterruptedIOException interrupted = new InterruptedIOException(
                "S3 " + operation + " s3://" + bucket + "/" + keyPrefix + key + " interrupted");
        interrupted.initCause(e);
        return interrupted;
    }

    /** {@code HTTP 403 AccessDenied: Access Denied (request id ...)}. */
    private static String describe(AwsServiceException e) {
        AwsErrorDetails details = e.awsErrorDetails();
        String message = details == null || details.errorMessage() == null ? "" : ": " + details.errorMessage();
        String requestId = e.requestId() == null || e.requestId().isEmpty() ? "" : " (request id " + e.requestId() + ")";
        return "HTTP " + e.statusCode() + " " + errorCode(e) + message + requestId;
    }

    private static String errorCode(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return code == null || code.isEmpty() ? "(no error code)" : code;
    }

    private static void closeQuietly(AwsCredentialsProvider credentials, Throwable failure) {
        if (credentials instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                } else {
                    log.warn("S3 object store: closing the credentials provider failed: {}", e.toString());
                }
            }
        }
    }
}
