package dev.drover.server.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.server.config.Configuration;
import dev.drover.server.config.Option;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.TemporaryDirectory;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * A serving certificate the operator provides, as cert-manager writes it (tls.crt, an RSA tls.key in PKCS#1, ca.crt):
 * Drover serves it, and the kubeconfig trusts the CA it names.
 */
class TlsFilesIT {

    @Test
    void servesACertificateFromPemFilesThatClientsTrustThroughTheCaAndItsRenewalWithoutARestart() throws Exception {
        try (var data = new TemporaryDirectory("drover-tls-files-")) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair caKeys = generator.generateKeyPair();
            KeyPair serverKeys = generator.generateKeyPair();
            X509Certificate ca = certificate("CN=Example Corp CA", "CN=Example Corp CA", caKeys, caKeys, true);
            X509Certificate server = certificate("CN=drover.example.com", "CN=Example Corp CA", serverKeys, caKeys, false);
            Path certificateFile = write(data.path().resolve("tls.crt"), server);
            Path caFile = write(data.path().resolve("ca.crt"), ca);
            Path keyFile = write(data.path().resolve("tls.key"), serverKeys.getPrivate());
            assertThat(Files.readString(keyFile)).startsWith("-----BEGIN RSA PRIVATE KEY-----");

            Map<Option, String> flags = new EnumMap<>(Option.class);
            flags.put(Option.DATA_DIR, data.path().resolve("drover").toString());
            flags.put(Option.PORT, "0");
            flags.put(Option.GIT_PORT, "0");
            flags.put(Option.TLS_CERT_FILE, certificateFile.toString());
            assertThatThrownBy(() -> DroverServer.start(Configuration.resolve(flags, Map.of(), Optional.empty())))
                    .hasMessageContaining("--tls-cert-file and --tls-key-file go together");

            flags.put(Option.TLS_KEY_FILE, keyFile.toString());
            flags.put(Option.TLS_CA_FILE, caFile.toString());
            flags.put(Option.TLS_RELOAD_INTERVAL, "200ms");
            try (DroverServer drover = DroverServer.start(Configuration.resolve(flags, Map.of(), Optional.empty()))) {
                new Kubectl(drover.kubeconfig()).run("get", "teams").succeeded();
                assertThat(Files.readString(drover.kubeconfig())).doesNotContain(dev.drover.server.tls.ServingCertificate.base64(
                        Files.readString(certificateFile)));
                assertThat(servedSubject(drover, caFile)).isEqualTo("CN=drover.example.com");
                assertThat(Files.exists(data.path().resolve("drover/tls/serving.p12"))).as("no self-signed one made").isFalse();

                // cert-manager renews: for a moment the files are half written, then both are new.
                KeyPair renewedKeys = generator.generateKeyPair();
                Files.writeString(keyFile, "-----BEGIN RSA PRIVATE KEY-----\nMIIEow");
                Thread.sleep(1_000);
                assertThat(servedSubject(drover, caFile)).as("a half-written key is not served").isEqualTo("CN=drover.example.com");
                write(certificateFile, certificate("CN=drover-renewed.example.com", "CN=Example Corp CA", renewedKeys, caKeys, false));
                write(keyFile, renewedKeys.getPrivate());
                long renewedAt = System.nanoTime();
                while (!servedSubject(drover, caFile).equals("CN=drover-renewed.example.com")) {
                    assertThat(Duration.ofNanos(System.nanoTime() - renewedAt)).as("the renewed certificate is served without a "
                            + "restart").isLessThan(Duration.ofSeconds(10));
                    Thread.sleep(100);
                }
                new Kubectl(drover.kubeconfig()).run("get", "teams").succeeded();
            }
        }
    }

    /** The subject of the certificate a new connection is served, trusting the CA. */
    private static String servedSubject(DroverServer drover, Path caFile) throws Exception {
        var connection = (HttpsURLConnection) java.net.URI.create(drover.url() + "/version").toURL().openConnection();
        connection.setSSLSocketFactory(dev.drover.server.tls.ServingCertificate.trusting(Files.readString(caFile)).getSocketFactory());
        try {
            assertThat(connection.getResponseCode()).isEqualTo(200);
            return ((X509Certificate) connection.getServerCertificates()[0]).getSubjectX500Principal().getName();
        } finally {
            connection.disconnect();
        }
    }

    private static X509Certificate certificate(String subject, String issuer, KeyPair keys, KeyPair signer, boolean authority)
            throws Exception {
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), new X500Name(subject),
                keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
        if (!authority) {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        }
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate())));
    }

    private static Path write(Path file, Object pemObject) throws Exception {
        var text = new StringWriter();
        try (var writer = new JcaPEMWriter(text)) {
            writer.writeObject(pemObject);
        }
        Files.writeString(file, text.toString());
        return file;
    }
}
