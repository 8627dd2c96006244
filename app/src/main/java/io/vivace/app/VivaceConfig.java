package io.vivace.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vivace.common.config.ConfigLoader;
import io.vivace.common.limits.OverridesConfig;
import io.vivace.distributor.DistributorConfig;
import io.vivace.compactor.CompactorConfig;
import io.vivace.frontend.QueryFrontendConfig;
import io.vivace.ingester.IngesterConfig;
import io.vivace.storage.StorageConfig;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The whole configuration file. Keys follow Tempo's where the concept exists.
 *
 * @param target which roles this process runs: {@code all} (default), or one role
 * @param multitenancyEnabled when false every request is tenant {@code single-tenant}
 * @param server listeners and logging
 * @param distributor receivers
 * @param ingester WAL, live traces, block cutting
 * @param queryFrontend query API
 * @param storage where blocks and the WAL live
 * @param compactor block merging and retention
 * @param overrides per-tenant limits
 */
public record VivaceConfig(
        String target,
        boolean multitenancyEnabled,
        ServerConfig server,
        DistributorConfig distributor,
        IngesterConfig ingester,
        QueryFrontendConfig queryFrontend,
        StorageConfig storage,
        CompactorConfig compactor,
        OverridesConfig overrides) {

    /** Every built-in default. */
    public static VivaceConfig defaults() {
        return new VivaceConfig("all", false, ServerConfig.defaults(), DistributorConfig.defaults(),
                IngesterConfig.defaults(), QueryFrontendConfig.defaults(), StorageConfig.defaults(), CompactorConfig.defaults(),
                OverridesConfig.defaultConfig());
    }

    /**
     * Loads the configuration from {@code yaml} (may be {@code null}) and dotted-path {@code flags}.
     *
     * @throws io.vivace.common.config.ConfigException naming the offending key
     */
    public static VivaceConfig load(String yaml, Map<String, String> flags, Function<String, String> env) {
        return new ConfigLoader().load(VivaceConfig.class, defaults(), yaml, flags, env, VivaceConfig::completePerTenantOverrides);
    }

    /** A per-tenant override lists only what differs; the rest comes from {@code overrides.defaults}. */
    private static void completePerTenantOverrides(ObjectNode tree) {
        JsonNode overrides = tree.get("overrides");
        if (!(overrides instanceof ObjectNode o) || !(o.get("per_tenant") instanceof ObjectNode perTenant)
                || !(o.get("defaults") instanceof ObjectNode defaults)) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = perTenant.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue() instanceof ObjectNode partial) {
                ObjectNode full = defaults.deepCopy();
                ConfigLoader.merge(full, partial);
                e.setValue(full);
            }
        }
    }

    /** Every problem in the configuration; empty when it is valid. */
    public List<String> validate() {
        List<String> errors = new ArrayList<>();
        if (!ModuleRegistry.TARGETS.contains(target)) {
            errors.add("target: " + target + " (expected: one of " + String.join(", ", ModuleRegistry.TARGETS) + ")");
        }
        errors.addAll(server.validate());
        errors.addAll(distributor.validate());
        errors.addAll(ingester.validate());
        errors.addAll(queryFrontend.validate());
        errors.addAll(storage.validate());
        errors.addAll(compactor == null ? List.of("compactor: missing") : compactor.validate());
        errors.addAll(overrides.defaults().validate("overrides.defaults."));
        if (overrides.perTenant() != null) {
            overrides.perTenant().forEach((t, l) -> errors.addAll(l.validate("overrides.per_tenant." + t + ".")));
        }
        return errors;
    }
}
