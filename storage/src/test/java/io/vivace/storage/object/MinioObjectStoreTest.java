package io.vivace.storage.object;

import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The S3 store against MinIO in a container. Needs a Docker engine; without one the class is skipped
 * (the S3Proxy tests cover the same contract in-process).
 */
@Testcontainers(disabledWithoutDocker = true)
class MinioObjectStoreTest extends ObjectStoreContract {
    private static final String BUCKET = "traces";

    @Container
    static final MinIOContainer MINIO = new MinIOContainer("minio/minio:RELEASE.2023-09-04T19-57-37Z");

    @BeforeAll
    static void createBucket() {
        S3TestSupport.createBucket(URI.create(MINIO.getS3URL()), MINIO.getUserName(), MINIO.getPassword(), BUCKET);
    }

    @Override
    protected ObjectStore newStore() throws Exception {
        // One bucket for the class, an empty store per test: a fresh prefix.
        return S3ObjectStore.open(S3TestSupport.config(URI.create(MINIO.getS3URL()), BUCKET, MINIO.getUserName(),
                MINIO.getPassword(), "test-" + UUID.randomUUID()));
    }
}
