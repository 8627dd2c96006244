package io.vivace.storage.object;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/** Shared pieces of the S3 store tests: configurations and a raw client to set up buckets. */
final class S3TestSupport {
    private S3TestSupport() {}

    /** A path-style configuration for a local S3 server, with short timeouts and few retries. */
    static S3Config config(URI endpoint, String bucket, String accessKey, String secretKey, String prefix) {
        S3Config d = S3Config.defaults();
        return new S3Config(bucket, prefix, endpoint.toString(), d.region(), accessKey, secretKey, "", false, true,
                d.partSize(), 2, Duration.ofSeconds(2), Duration.ofSeconds(5), 0);
    }

    /** {@code config} with another part size (tests use small ones to exercise multipart uploads). */
    static S3Config withPartSize(S3Config c, long partSize) {
        return new S3Config(c.bucket(), c.prefix(), c.endpoint(), c.region(), c.accessKey(), c.secretKey(),
                c.sessionToken(), c.insecure(), c.forcePathStyle(), partSize, c.maxRetries(), c.connectTimeout(),
                c.readTimeout(), c.cacheSizeBytes());
    }

    /** A raw SDK client, to create buckets and look behind the store's back. */
    static S3Client rawClient(URI endpoint, String accessKey, String secretKey) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build();
    }

    /** Creates {@code bucket} unless it exists. */
    static void createBucket(URI endpoint, String accessKey, String secretKey, String bucket) {
        try (S3Client s3 = rawClient(endpoint, accessKey, secretKey)) {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException e) {
            // created before: fine
        }
    }

    /** A loopback port nothing listens on right now. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
