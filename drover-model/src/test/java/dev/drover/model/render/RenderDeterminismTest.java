package dev.drover.model.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The same snapshot renders to the same bytes in every JVM. Rendering twice in one JVM would not show it: the iteration
 * order of {@code Map.of}, {@code Set.of} and {@code Map.copyOf} is salted once per JVM, so output that depends on it
 * differs only between runs. The examples are rendered here and in separate JVMs, and the digests compared.
 */
class RenderDeterminismTest {

    private static final int OTHER_RUNS = 3;

    @Test
    void theExamplesRenderToTheSameBytesInSeparateJvms() throws Exception {
        String here = digest();
        List<String> elsewhere = new ArrayList<>();
        for (int run = 0; run < OTHER_RUNS; run++) {
            elsewhere.add(digestInAnotherJvm());
        }
        assertThat(elsewhere).containsOnly(here);
    }

    /** Prints the digest of the rendered examples, for {@link #digestInAnotherJvm()}. */
    public static void main(String[] arguments) throws NoSuchAlgorithmException {
        System.out.println(digest());
    }

    private static String digest() throws NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (Map.Entry<String, String> file : FleetRenderer.render(ExampleFleet.snapshot()).files().entrySet()) {
            sha.update(file.getKey().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(file.getValue().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String digestInAnotherJvm() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                RenderDeterminismTest.class.getName()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the other JVM finished").isTrue();
        assertThat(process.exitValue()).as("the other JVM: " + output).isZero();
        return output.lines().reduce((first, last) -> last).orElse("");
    }
}
