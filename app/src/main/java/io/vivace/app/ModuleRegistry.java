package io.vivace.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.vivace.common.lifecycle.Service;
import io.vivace.compactor.Compactor;
import io.vivace.compactor.JobOwnership;
import io.vivace.distributor.Distributor;
import io.vivace.frontend.QueryFrontend;
import io.vivace.ingest.InProcessIngestLog;
import io.vivace.ingester.Ingester;
import io.vivace.querier.BlockList;
import io.vivace.querier.Querier;
import io.vivace.storage.ObjectStores;
import io.vivace.storage.block.BlockStore;
import io.vivace.storage.object.ObjectStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Which modules a {@code -target} runs and how they are wired, on one screen. Modules and their
 * dependencies:
 *
 * <pre>
 * store           object store for blocks (local disk or S3)
 * ingester        store                       WAL, live traces, block cutting
 * distributor     ingester (in-process log)   receivers, validation, limits
 * blocklist       store                       polled list of blocks per tenant
 * querier         blocklist, ingester         trace lookups and search jobs over blocks and recent data
 * query-frontend  querier                     Tempo's HTTP API and streaming gRPC (search, tags)
 * compactor       store                       merges blocks, retention, deletes replaced blocks
 * all             distributor, ingester, querier, query-frontend, compactor
 * </pre>
 *
 * In single-binary mode ({@code all}) the distributor reaches the ingester through the in-process
 * log. Running one role per process needs the Kafka ingest log and the internal gRPC clients,
 * which come with the microservices deployment; until then only {@code all} starts.
 */
final class ModuleRegistry {
    /** Every {@code -target} value. */
    static final List<String> TARGETS = List.of("all", "distributor", "ingester", "querier", "query-frontend");

    private ModuleRegistry() {}

    /** The wired modules of a process; services in start order. */
    record Modules(List<Service> services, Ingester ingester, Distributor distributor, QueryFrontend frontend,
            BlockList blockList, ObjectStore store) {}

    /**
     * Builds the modules of {@code config.target()}.
     *
     * @throws IllegalArgumentException when the target cannot run in this build
     */
    static Modules build(VivaceConfig config, MeterRegistry registry) {
        if (!"all".equals(config.target())) {
            throw new IllegalArgumentException("target: " + config.target()
                    + " runs alone only in the microservices deployment, which needs the Kafka ingest log;"
                    + " this build runs every role in one process (expected: -target=all)");
        }
        ObjectStore store;
        try {
            store = ObjectStores.open(config.storage());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (store instanceof io.vivace.storage.object.CachingObjectStore cache) {
            registry.gauge("vivace_object_cache_hits", cache, io.vivace.storage.object.CachingObjectStore::hits);
            registry.gauge("vivace_object_cache_misses", cache, io.vivace.storage.object.CachingObjectStore::misses);
            registry.gauge("vivace_object_cache_bytes", cache, io.vivace.storage.object.CachingObjectStore::weightedSize);
        }
        BlockStore blocks = new BlockStore(store);
        BlockList blockList = new BlockList(blocks, config.storage().trace().blocklistPoll(), registry);
        // In one process the ingester hands each written block straight to the block list, so a lookup
        // reads it once (through the querier) instead of also through the ingester.
        Ingester ingester = new Ingester(config.ingester(), config.storage(), config.overrides(), store, registry, blockList::add);
        Distributor distributor = new Distributor(config.distributor(), config.overrides(), config.multitenancyEnabled(),
                new InProcessIngestLog(ingester), registry);
        Querier querier = new Querier(blocks, blockList, List.of(ingester), List.of(ingester), registry);
        QueryFrontend frontend = new QueryFrontend(config.queryFrontend(), config.overrides(), config.multitenancyEnabled(),
                querier, querier, registry);
        Compactor compactor = new Compactor(config.compactor(), config.overrides(), blocks,
                config.storage().trace().block().writerConfig(), JobOwnership.ALL, Clock.systemUTC(), registry);
        List<Service> services = new ArrayList<>();
        services.add(blockList);
        services.add(ingester);
        services.add(compactor);
        return new Modules(services, ingester, distributor, frontend, blockList, store);
    }
}
