package io.vivace.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vivace.common.config.ConfigLoader;
import io.vivace.storage.object.S3Config;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code storage} section: Tempo's keys, the S3 defaults, and validation messages by key. */
class StorageConfigTest {
    private static final ConfigLoader LOADER = new ConfigLoader();

    private static StorageConfig load(String yaml, Map<String, String> env) {
        return LOADER.load(StorageConfig.class, StorageConfig.defaults(), yaml, Map.of(), env::get);
    }

    @Test
    void defaultsAreLocalAndValidWithS3Untouched() {
        StorageConfig d = StorageConfig.defaults();
        assertThat(d.trace().backend()).isEqualTo("local");
        assertThat(d.trace().local().path()).isEqualTo("./data/blocks");
        assertThat(d.trace().s3()).isEqualTo(S3Config.defaults());
        assertThat(d.validate()).isEmpty();
    }

    @Test
    void s3DefaultsArePinned() {
        JsonNode s3 = LOADER.toTree(StorageConfig.defaults()).get("trace").get("s3");
        assertThat(s3.toString()).isEqualTo("{\"bucket\":\"\",\"prefix\":\"\",\"endpoint\":\"\",\"region\":\"us-east-1\","
                + "\"access_key\":\"\",\"secret_key\":\"\",\"session_token\":\"\",\"insecure\":false,"
                + "\"forcepathstyle\":false,\"part_size\":16777216,\"max_retries\":3,\"connect_timeout\":\"5s\","
                + "\"read_timeout\":\"30s\",\"cache_size_bytes\":268435456}");
    }

    @Test
    void aTempoStyleS3SectionBinds() {
        StorageConfig c = load("""
                trace:
                  backend: s3
                  s3:
                    bucket: tempo-traces
                    endpoint: minio:9000
                    access_key: ${S3_ACCESS_KEY}
                    secret_key: ${S3_SECRET_KEY}
                    insecure: true
                    forcepathstyle: true
                    prefix: vivace
                    part_size: 8388608
                    read_timeout: 1m
                """, Map.of("S3_ACCESS_KEY", "ak", "S3_SECRET_KEY", "sk"));
        S3Config s3 = c.trace().s3();
        assertThat(c.validate()).isEmpty();
        assertThat(s3.bucket()).isEqualTo("tempo-traces");
        assertThat(s3.accessKey()).isEqualTo("ak");
        assertThat(s3.secretKey()).isEqualTo("sk");
        assertThat(s3.forcePathStyle()).isTrue();
        assertThat(s3.endpointUri()).hasToString("http://minio:9000");
        assertThat(s3.keyPrefix()).isEqualTo("vivace/");
        assertThat(s3.partSize()).isEqualTo(8L * 1024 * 1024);
        assertThat(s3.readTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s3.region()).isEqualTo("us-east-1");
        assertThat(s3.toString()).contains("accessKey=ak").doesNotContain("sk,").contains("secretKey=****");
    }

    @Test
    void endpointsWithAndWithoutScheme() {
        S3Config d = S3Config.defaults();
        assertThat(endpoint(d, "s3.example.com", false)).isEqualTo("https://s3.example.com");
        assertThat(endpoint(d, "127.0.0.1:9000", true)).isEqualTo("http://127.0.0.1:9000");
        assertThat(endpoint(d, "http://minio:9000", false)).isEqualTo("http://minio:9000");
        assertThat(endpoint(d, "https://minio:9000", true)).isEqualTo("https://minio:9000");
        assertThat(endpoint(d, "", false)).isNull();
    }

    private static String endpoint(S3Config d, String endpoint, boolean insecure) {
        S3Config c = new S3Config("b", "", endpoint, d.region(), "", "", "", insecure, false, d.partSize(),
                d.maxRetries(), d.connectTimeout(), d.readTimeout(), d.cacheSizeBytes());
        return c.endpointUri() == null ? null : c.endpointUri().toString();
    }

    @Test
    void invalidS3SettingsAreReportedByFullKey() {
        StorageConfig c = load("""
                trace:
                  backend: s3
                  s3:
                    region: ""
                    access_key: only-half
                    prefix: a//b
                    part_size: 1024
                    max_retries: -1
                    connect_timeout: 0s
                """, Map.of());
        List<String> errors = c.validate();
        assertThat(errors).containsExactlyInAnyOrder(
                "storage.trace.s3.bucket: empty (expected: the name of an existing bucket)",
                "storage.trace.s3.endpoint: empty and storage.trace.s3.region: empty (expected: an endpoint such as"
                        + " minio:9000, or an AWS region such as us-east-1)",
                "storage.trace.s3.prefix: a//b (expected: segments separated by '/', none empty, '.' or '..')",
                "storage.trace.s3.secret_key: empty while access_key is set (expected: both, or neither to use the"
                        + " AWS default credentials chain)",
                "storage.trace.s3.part_size: 1024 (expected: >= 5242880 and <= 5368709120)",
                "storage.trace.s3.max_retries: -1 (expected: >= 0 and <= 20)",
                "storage.trace.s3.connect_timeout: 0s (expected: > 0)");
    }

    @Test
    void aBadEndpointIsReportedByKey() {
        StorageConfig c = load("trace:\n  backend: s3\n  s3:\n    bucket: b\n    endpoint: ftp://x\n", Map.of());
        assertThat(c.validate()).containsExactly(
                "storage.trace.s3.endpoint: ftp://x (expected: host:port or an http(s) URL)");
    }

    @Test
    void onlyLocalAndS3AreBackends() {
        StorageConfig c = load("trace:\n  backend: gcs\n", Map.of());
        assertThat(c.validate()).containsExactly("storage.trace.backend: gcs (expected: local or s3)");
    }

    @Test
    void awsS3NeedsOnlyABucketAndUsesTheDefaultCredentialsChain() {
        StorageConfig c = load("trace:\n  backend: s3\n  s3:\n    bucket: b\n    region: eu-west-1\n", Map.of());
        assertThat(c.validate()).isEmpty();
        assertThat(c.trace().s3().hasStaticCredentials()).isFalse();
        assertThat(c.trace().s3().endpointUri()).isNull();
    }
}
