package io.vivace.storage.object;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.vivace.common.config.GoDuration;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where and how {@link S3ObjectStore} reaches its bucket: the {@code storage.trace.s3} section, keyed
 * as in Grafana Tempo ({@code bucket}, {@code endpoint}, {@code access_key}, {@code forcepathstyle},
 * …), so a Tempo configuration carries over.
 *
 * @param bucket the bucket; it must exist
 * @param prefix a path every key is stored under ({@code vivace} stores {@code t/b/meta.json} as
 *     {@code vivace/t/b/meta.json}); empty for the bucket's root. Leading and trailing {@code /} are
 *     ignored.
 * @param endpoint {@code host:port} or a URL of an S3 API ({@code minio:9000},
 *     {@code https://s3.eu-west-1.amazonaws.com}); empty means AWS S3 in {@code region}
 * @param region the signing region (AWS S3's region; any value for MinIO)
 * @param accessKey static access key; with {@code secretKey} empty too, the AWS SDK's default
 *     credentials chain (environment, profile, web identity, container or instance role) is used
 * @param secretKey static secret key
 * @param sessionToken session token of temporary static credentials; usually empty
 * @param insecure {@code true} reaches an {@code endpoint} without scheme over plain HTTP
 * @param forcePathStyle {@code true} addresses the bucket in the path ({@code host/bucket/key}) rather
 *     than the host name ({@code bucket.host/key}); MinIO and most S3-compatible servers want it
 * @param partSize objects larger than this are uploaded in parts of this size (multipart upload)
 * @param maxRetries retries of a failed request (connection errors, throttling, 5xx) after the first
 *     attempt, with exponential backoff and jitter
 * @param connectTimeout how long to wait for a connection to the endpoint
 * @param readTimeout how long a request may wait for the next bytes of a response
 * @param cacheSizeBytes memory for cached immutable block objects read from the bucket (metas,
 *     bloom shards, indexes, record-batch ranges; {@link CachingObjectStore}); 0 turns the cache off
 */
public record S3Config(
        String bucket,
        String prefix,
        String endpoint,
        String region,
        String accessKey,
        String secretKey,
        String sessionToken,
        boolean insecure,
        @JsonProperty("forcepathstyle") boolean forcePathStyle,
        long partSize,
        int maxRetries,
        Duration connectTimeout,
        Duration readTimeout,
        long cacheSizeBytes) {

    /** S3's smallest part of a multipart upload (all but the last part). */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    /** S3's largest part of a multipart upload. */
    public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;

    /** Defaults: no bucket, region {@code us-east-1}, 16 MiB parts, 3 retries, 5s to connect, 30s per read. */
    public static S3Config defaults() {
        return new S3Config("", "", "", "us-east-1", "", "", "", false, false, 16L * 1024 * 1024, 3,
                Duration.ofSeconds(5), Duration.ofSeconds(30), 256L << 20);
    }

    /**
     * The endpoint as a URL: as given when it has a scheme, else {@code https://} (or {@code http://}
     * when {@link #insecure}) in front; null when {@link #endpoint} is empty (AWS S3).
     *
     * @throws IllegalArgumentException when it is not a valid http(s) URL
     */
    public URI endpointUri() {
        String e = endpoint == null ? "" : endpoint.strip();
        if (e.isEmpty()) {
            return null;
        }
        String url = e.contains("://") ? e : (insecure ? "http://" : "https://") + e;
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException ex) {
            throw new IllegalArgumentException("endpoint: " + endpoint + " (expected: host:port or an http(s) URL)", ex);
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("endpoint: " + endpoint + " (expected: host:port or an http(s) URL)");
        }
        return uri;
    }

    /**
     * The key prefix as stored: {@link #prefix} without leading and trailing {@code /}, followed by one
     * {@code /}; empty when there is none.
     *
     * @throws IllegalArgumentException when its segments are not valid key segments
     */
    public String keyPrefix() {
        String p = prefix == null ? "" : prefix.strip();
        int start = 0;
        int end = p.length();
        while (start < end && p.charAt(start) == '/') {
            start++;
        }
        while (end > start && p.charAt(end - 1) == '/') {
            end--;
        }
        if (start == end) {
            return "";
        }
        String trimmed = p.substring(start, end);
        try {
            ObjectKeys.validateKey(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("prefix: " + prefix
                    + " (expected: segments separated by '/', none empty, '.' or '..')", e);
        }
        return trimmed + "/";
    }

    /** Whether static credentials are configured (else the default credentials chain is used). */
    public boolean hasStaticCredentials() {
        return !isBlank(accessKey) || !isBlank(secretKey);
    }

    /**
     * Problems, each starting with the full key ({@code keyPrefix} such as {@code storage.trace.s3.}),
     * empty when valid.
     */
    public List<String> validate(String keyPrefix) {
        List<String> errors = new ArrayList<>();
        if (isBlank(bucket)) {
            errors.add(keyPrefix + "bucket: empty (expected: the name of an existing bucket)");
        }
        if (isBlank(endpoint) && isBlank(region)) {
            errors.add(keyPrefix + "endpoint: empty and " + keyPrefix
                    + "region: empty (expected: an endpoint such as minio:9000, or an AWS region such as us-east-1)");
        }
        try {
            endpointUri();
        } catch (IllegalArgumentException e) {
            errors.add(keyPrefix + e.getMessage());
        }
        try {
            keyPrefix();
        } catch (IllegalArgumentException e) {
            errors.add(keyPrefix + e.getMessage());
        }
        if (isBlank(accessKey) != isBlank(secretKey)) {
            String missing = isBlank(accessKey) ? "access_key" : "secret_key";
            String set = isBlank(accessKey) ? "secret_key" : "access_key";
            errors.add(keyPrefix + missing + ": empty while " + set
                    + " is set (expected: both, or neither to use the AWS default credentials chain)");
        }
        if (!isBlank(sessionToken) && isBlank(accessKey)) {
            errors.add(keyPrefix + "session_token: set without access_key and secret_key (expected: all three, or no session_token)");
        }
        if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
            errors.add(keyPrefix + "part_size: " + partSize + " (expected: >= " + MIN_PART_SIZE + " and <= " + MAX_PART_SIZE + ")");
        }
        if (maxRetries < 0 || maxRetries > 20) {
            errors.add(keyPrefix + "max_retries: " + maxRetries + " (expected: >= 0 and <= 20)");
        }
        if (!isPositive(connectTimeout)) {
            errors.add(keyPrefix + "connect_timeout: " + format(connectTimeout) + " (expected: > 0)");
        }
        if (!isPositive(readTimeout)) {
            errors.add(keyPrefix + "read_timeout: " + format(readTimeout) + " (expected: > 0)");
        }
        if (cacheSizeBytes < 0) {
            errors.add(keyPrefix + "cache_size_bytes: " + cacheSizeBytes + " (expected: >= 0, 0 = no cache)");
        }
        return errors;
    }

    /** Like the record's, with the secret key and session token masked so that logs never carry them. */
    @Override
    public String toString() {
        return "S3Config[bucket=" + bucket + ", prefix=" + prefix + ", endpoint=" + endpoint + ", region=" + region
                + ", accessKey=" + accessKey + ", secretKey=" + mask(secretKey) + ", sessionToken=" + mask(sessionToken)
                + ", insecure=" + insecure + ", forcePathStyle=" + forcePathStyle + ", partSize=" + partSize
                + ", maxRetries=" + maxRetries + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + "]";
    }

    private static boolean isPositive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static String format(Duration d) {
        return d == null ? "empty" : GoDuration.format(d);
    }

    private static String mask(String secret) {
        return isBlank(secret) ? "" : "****";
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
