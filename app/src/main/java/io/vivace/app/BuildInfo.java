package io.vivace.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Version information. {@link #TEMPO_COMPATIBLE_VERSION} is what {@code /api/status/buildinfo}
 * reports as {@code version}: Grafana gates streaming and metrics features on Tempo's version
 * (>= 2.7.0), so Vivace reports the Tempo API level it implements and its own version beside it.
 */
public final class BuildInfo {
    /** The Tempo version whose API Vivace speaks. */
    public static final String TEMPO_COMPATIBLE_VERSION = "2.9.0";

    private static final Properties PROPS = load();

    private BuildInfo() {}

    /** Vivace's own version. */
    public static String version() {
        return PROPS.getProperty("version", "dev");
    }

    /** The git revision the JAR was built from, when known. */
    public static String revision() {
        return PROPS.getProperty("revision", "unknown");
    }

    /** When the JAR was built. */
    public static String buildDate() {
        return PROPS.getProperty("buildDate", "unknown");
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/vivace-build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // version stays "dev"
        }
        return p;
    }
}
