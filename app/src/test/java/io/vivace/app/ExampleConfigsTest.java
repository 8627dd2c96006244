package io.vivace.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every example configuration under deploy/examples loads and validates. */
class ExampleConfigsTest {
    @Test
    void examplesAreValid() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("..", "deploy", "examples"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).toList();
        }
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            VivaceConfig c = VivaceConfig.load(Files.readString(f), Map.of(), name -> null);
            assertThat(c.validate()).as("%s", f).isEmpty();
        }
    }
}
