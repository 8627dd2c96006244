package io.vivace.app;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tempo-style flags: {@code -config.file=path}, {@code -target=all}, and any configuration key by its
 * dotted path ({@code -storage.trace.local.path=/data}). {@code --x} works like {@code -x}, a value may
 * follow as the next argument, and a bare {@code -config.verify} means {@code true}.
 *
 * @param configFile the YAML file, or {@code null}
 * @param verifyOnly check the configuration and exit
 * @param printVersion print the version and exit
 * @param printConfig print the effective configuration as YAML and exit
 * @param overrides configuration keys set by flags, in order
 */
public record CommandLine(String configFile, boolean verifyOnly, boolean printVersion, boolean printConfig,
        Map<String, String> overrides) {

    /**
     * Parses {@code args}.
     *
     * @throws IllegalArgumentException naming the argument that is not a flag
     */
    public static CommandLine parse(String[] args) {
        String configFile = null;
        boolean verify = false;
        boolean version = false;
        boolean printConfig = false;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("-") || a.equals("-") || a.equals("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "' (expected: -key=value flags)");
            }
            String body = a.startsWith("--") ? a.substring(2) : a.substring(1);
            String key;
            String value;
            int eq = body.indexOf('=');
            if (eq >= 0) {
                key = body.substring(0, eq);
                value = body.substring(eq + 1);
            } else {
                key = body;
                boolean booleanFlag = key.equals("config.verify") || key.equals("version") || key.equals("config.expand-env")
                        || key.equals("print-config") || key.equals("help") || key.equals("h");
                if (!booleanFlag && i + 1 < args.length && !args[i + 1].startsWith("-")) {
                    value = args[++i];
                } else {
                    value = "true";
                }
            }
            switch (key) {
                case "config.file" -> configFile = value;
                case "config.verify" -> verify = Boolean.parseBoolean(value);
                case "config.expand-env" -> { } // environment expansion is always on
                case "version" -> version = Boolean.parseBoolean(value);
                case "print-config" -> printConfig = Boolean.parseBoolean(value);
                case "help", "h" -> throw new IllegalArgumentException(usage());
                default -> {
                    if (key.isEmpty()) {
                        throw new IllegalArgumentException("empty flag name in '" + a + "'");
                    }
                    overrides.put(key, value);
                }
            }
        }
        return new CommandLine(configFile, verify, version, printConfig, overrides);
    }

    /** The usage text. */
    public static String usage() {
        return """
                usage: vivace [-config.file=FILE] [-target=all|distributor|ingester|querier|query-frontend] [-KEY=VALUE ...]
                  -config.file=FILE     YAML configuration (see docs/configuration.md)
                  -config.verify        check the configuration and exit
                  -print-config         print the effective configuration and exit
                  -version              print the version and exit
                  -KEY=VALUE            set any configuration key by its dotted path, e.g.
                                        -storage.trace.local.path=/var/vivace/blocks -server.http_listen_address=0.0.0.0""";
    }
}
