package io.vivace.compactor;

/**
 * Which compaction jobs this compactor runs. In one process it runs them all; with several
 * compactors (microservices mode) ownership comes from Kafka consumer-group membership, never from
 * a hand-made ring, and plugs in here.
 */
@FunctionalInterface
public interface JobOwnership {
    /** Every job belongs to this compactor. */
    JobOwnership ALL = (tenant, jobKey) -> true;

    /**
     * Whether this compactor runs the job.
     *
     * @param tenant the tenant
     * @param jobKey identifies the job (the tenant's window and level, or {@code retention})
     */
    boolean owns(String tenant, String jobKey);
}
