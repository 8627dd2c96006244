package io.vivace.app;

import io.vivace.common.config.ConfigException;
import io.vivace.common.metrics.VivaceMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Entry point: {@code java -jar vivace.jar [-config.file=FILE] [-KEY=VALUE ...]}. */
public final class Main {
    private Main() {}

    /** Starts Vivace; exits 1 with a message naming the problem when the configuration is invalid. */
    public static void main(String[] args) {
        VivaceConfig config;
        CommandLine cli;
        try {
            cli = CommandLine.parse(args);
            if (cli.printVersion()) {
                System.out.println("vivace " + BuildInfo.version() + " (Tempo API " + BuildInfo.TEMPO_COMPATIBLE_VERSION + ")");
                return;
            }
            String yaml = null;
            if (cli.configFile() != null) {
                try {
                    yaml = Files.readString(Path.of(cli.configFile()));
                } catch (NoSuchFileException e) {
                    throw new ConfigException("config file not found: " + cli.configFile());
                } catch (IOException e) {
                    throw new ConfigException("cannot read config file " + cli.configFile() + ": " + e.getMessage());
                }
            }
            config = VivaceConfig.load(yaml, cli.overrides(), System::getenv);
            List<String> errors = config.validate();
            if (!errors.isEmpty()) {
                throw new ConfigException("invalid configuration:\n  " + String.join("\n  ", errors));
            }
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("vivace: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (cli.verifyOnly()) {
            System.out.println("vivace: configuration is valid");
            return;
        }
        if (cli.printConfig()) {
            System.out.print(new io.vivace.common.config.ConfigLoader().toRedactedYaml(config));
            return;
        }
        Logging.configure(config.server().logLevel(), config.server().logFormat());
        VivaceApp app;
        try {
            app = new VivaceApp(config, VivaceMetrics.registry());
            app.start();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Main.class).error("event=start_failed error=\"{}\"", e.getMessage(), e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "vivace-shutdown"));
        try {
            app.awaitStopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
