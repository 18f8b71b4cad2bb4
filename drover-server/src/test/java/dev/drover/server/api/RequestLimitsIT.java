package dev.drover.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.OperatingSystemMXBean;
import dev.drover.server.config.Option;
import dev.drover.server.testing.DroverCli;
import dev.drover.server.testing.TestDrover;
import dev.drover.server.tls.ServingCertificate;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What one token may take of the server: open watches, a team token's request rate, and a watch whose client left. */
class RequestLimitsIT {

    private static final String CLUSTERS = "/apis/platform.drover.dev/v1alpha1/namespaces/search/clusters";

    private static TestDrover drover;
    private static SSLContext tls;
    private static HttpClient http;
    private static String searchToken;

    @BeforeAll
    static void startDrover() {
        drover = TestDrover.startFreshWithExamples(Map.of(Option.MAX_WATCHES_PER_TOKEN, "2",
                Option.TEAM_REQUESTS_PER_SECOND, "10"));
        tls = ServingCertificate.trusting(drover.certificatePem());
        http = HttpClient.newBuilder().sslContext(tls).build();
        searchToken = DroverCli.teamToken(drover.kubeconfig(), "search");
    }

    @AfterAll
    static void stopDrover() {
        drover.close();
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(drover.url() + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTeamTokenOverItsRateWaitsForRetryAfterAndAdminsAreNotLimited() throws Exception {
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int request = 0; request < 40; request++) {
            answers.add(get(CLUSTERS, searchToken));
        }
        List<HttpResponse<String>> refused = answers.stream().filter(answer -> answer.statusCode() == 429).toList();
        assertThat(refused).as("a burst of 20 passes, the rest of 40 at once does not").isNotEmpty();
        assertThat(answers.stream().filter(answer -> answer.statusCode() == 200).count()).isGreaterThanOrEqualTo(20);
        assertThat(refused.getFirst().headers().firstValue("Retry-After")).hasValueSatisfying(seconds ->
                assertThat(Long.parseLong(seconds)).isPositive());
        assertThat(refused.getFirst().body()).contains("\"reason\":\"TooManyRequests\"", "--team-requests-per-second");

        for (int request = 0; request < 40; request++) {
            assertThat(get(CLUSTERS, drover.adminToken()).statusCode()).isEqualTo(200);
        }
        Thread.sleep(2_000);
        assertThat(get(CLUSTERS, searchToken).statusCode()).as("the rate refills").isEqualTo(200);
    }

    @Test
    void aTokenHoldsAtMostItsWatchesAndAWatchWhoseClientLeftIsGivenBack() throws Exception {
        String watch = "/apis/platform.drover.dev/v1alpha1/clusters?watch=true&allowWatchBookmarks=true&resourceVersion=1";
        Socket first = openWatch(watch, drover.adminToken());
        Socket second = openWatch(watch, drover.adminToken());
        HttpResponse<String> third = get(watch + "&timeoutSeconds=1", drover.adminToken());
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.body()).contains("too many open watches", "--max-watches-per-token");

        first.close();
        // The server learns of the hang-up with its next bookmark (every second here) and gives the place back.
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        int status;
        do {
            Thread.sleep(500);
            status = get(watch + "&timeoutSeconds=1", drover.adminToken()).statusCode();
        } while (status == 429 && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(200);
        second.close();
    }

    @Test
    void anEndlessWatchWhoseClientHungUpCostsNoCpu() throws Exception {
        Thread.sleep(3_000);
        Socket watch = openWatch(CLUSTERS + "?watch=true&resourceVersion=1&timeoutSeconds=10000000000", searchToken);
        watch.close();
        var system = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = system.getProcessCpuTime();
        Thread.sleep(3_000);
        long cpuMillis = (system.getProcessCpuTime() - cpuBefore) / 1_000_000;

        assertThat(cpuMillis).as("CPU time of the whole server over 3 s after the client left; a spinning watch takes "
                + "a core").isLessThan(1_500);
        assertThat(get(CLUSTERS, drover.adminToken()).statusCode()).isEqualTo(200);
    }

    /** A watch whose answer has started, over a socket of its own. */
    private static Socket openWatch(String path, String token) throws Exception {
        URI uri = URI.create(drover.url());
        Socket socket = tls.getSocketFactory().createSocket(uri.getHost(), uri.getPort());
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        byte[] head = new byte[12];
        int read = 0;
        while (read < head.length) {
            int now = in.read(head, read, head.length - read);
            assertThat(now).isPositive();
            read += now;
        }
        assertThat(new String(head, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200");
        return socket;
    }
}
