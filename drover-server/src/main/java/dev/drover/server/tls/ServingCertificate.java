package dev.drover.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Drover's TLS serving certificate: one the operator provides in PEM files, or else self-signed, made on first start
 * for the listen address, localhost and 127.0.0.1, and kept under the data directory. Clients trust it through the kubeconfig's
 * {@code certificate-authority-data}; kubectl sends bearer tokens over TLS only.
 */
public final class ServingCertificate {

    private static final Duration VALIDITY = Duration.ofDays(3650);
    private static final String ALIAS = "drover";

    private final KeyStore keyStore;
    private final char[] password;
    private final String certificatePem;
    /** The PEM files it was read from and what they held, for one the operator provides; empty for a self-made one. */
    private final Optional<Source> source;

    private record Source(Path certificateFile, Path keyFile, Optional<Path> trustedFile, String content) {
    }

    private ServingCertificate(KeyStore keyStore, char[] password, String certificatePem, Optional<Source> source) {
        this.keyStore = keyStore;
        this.password = password;
        this.certificatePem = certificatePem;
        this.source = source;
    }

    /**
     * The certificate its files hold now, if they changed since it was read (cert-manager renewed it); empty while they
     * hold the same, and always for a self-made certificate.
     *
     * @throws RuntimeException when the files changed into something unusable (half written, say): keep serving this one
     */
    public Optional<ServingCertificate> renewed() {
        if (source.isEmpty()) {
            return Optional.empty();
        }
        Source files = source.get();
        try {
            if (content(files.certificateFile(), files.keyFile()).equals(files.content())) {
                return Optional.empty();
            }
        } catch (IOException unreadable) {
            throw new UncheckedIOException("cannot read the TLS certificate " + files.certificateFile(), unreadable);
        }
        return Optional.of(fromFiles(files.certificateFile(), files.keyFile(), files.trustedFile()));
    }

    private static String content(Path certificateFile, Path keyFile) throws IOException {
        return Files.readString(certificateFile) + Files.readString(keyFile);
    }

    /**
     * A certificate the operator provides (a company CA's, cert-manager's): the chain and its key from PEM files, and
     * the certificates clients trust it by (the chain itself when none are named), for the kubeconfig.
     */
    public static ServingCertificate fromFiles(Path certificateFile, Path keyFile, Optional<Path> trustedFile) {
        try {
            String content = content(certificateFile, keyFile);
            List<X509Certificate> chain = new ArrayList<>();
            var converter = new JcaX509CertificateConverter();
            try (var parser = new PEMParser(Files.newBufferedReader(certificateFile))) {
                for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                    if (item instanceof X509CertificateHolder holder) {
                        chain.add(converter.getCertificate(holder));
                    }
                }
            }
            if (chain.isEmpty()) {
                throw new IllegalArgumentException(certificateFile + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            }
            PrivateKey key;
            try (var parser = new PEMParser(Files.newBufferedReader(keyFile))) {
                Object item = parser.readObject();
                var keys = new JcaPEMKeyConverter();
                key = switch (item) {
                    case PEMKeyPair pair -> keys.getKeyPair(pair).getPrivate();
                    case PrivateKeyInfo info -> keys.getPrivateKey(info);
                    case null, default -> throw new IllegalArgumentException(keyFile + " holds no unencrypted PEM private key "
                            + "(-----BEGIN PRIVATE KEY-----, BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)");
                };
            }
            byte[] randomPassword = new byte[24];
            new SecureRandom().nextBytes(randomPassword);
            char[] password = HexFormat.of().formatHex(randomPassword).toCharArray();
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry(ALIAS, key, password, chain.toArray(X509Certificate[]::new));
            String trusted = trustedFile.isPresent() ? Files.readString(trustedFile.get()) : Files.readString(certificateFile);
            return new ServingCertificate(keyStore, password, trusted,
                    Optional.of(new Source(certificateFile, keyFile, trustedFile, content)));
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot read the TLS certificate " + certificateFile + " or its key " + keyFile, failed);
        } catch (GeneralSecurityException failed) {
            throw new IllegalStateException("cannot use the TLS certificate " + certificateFile + " with the key " + keyFile + ": "
                    + failed.getMessage(), failed);
        }
    }

    /** Loads the certificate from {@code directory}, or creates one for the given host names and addresses. */
    public static ServingCertificate loadOrCreate(Path directory, List<String> hosts) {
        Path keyStoreFile = directory.resolve("serving.p12");
        Path passwordFile = directory.resolve("serving.password");
        try {
            if (Files.exists(keyStoreFile) && Files.exists(passwordFile)) {
                char[] password = Files.readString(passwordFile).trim().toCharArray();
                KeyStore keyStore = KeyStore.getInstance("PKCS12");
                try (InputStream input = Files.newInputStream(keyStoreFile)) {
                    keyStore.load(input, password);
                }
                return new ServingCertificate(keyStore, password, pem((X509Certificate) keyStore.getCertificate(ALIAS)), Optional.empty());
            }
            return create(directory, keyStoreFile, passwordFile, hosts);
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot read or write the TLS certificate in " + directory, failed);
        } catch (GeneralSecurityException | OperatorCreationException failed) {
            throw new IllegalStateException("cannot load or create the TLS certificate in " + directory + ": "
                    + failed.getMessage(), failed);
        }
    }

    private static ServingCertificate create(Path directory, Path keyStoreFile, Path passwordFile, List<String> hosts)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        Files.createDirectories(directory);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=drover");
        var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
        List<GeneralName> names = new ArrayList<>();
        for (String host : hosts) {
            names.add(isAddress(host) ? new GeneralName(GeneralName.iPAddress, host) : new GeneralName(GeneralName.dNSName, host));
        }
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        byte[] randomPassword = new byte[24];
        new SecureRandom().nextBytes(randomPassword);
        char[] password = HexFormat.of().formatHex(randomPassword).toCharArray();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry(ALIAS, keys.getPrivate(), password, new X509Certificate[] {certificate});
        var ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
        Files.deleteIfExists(passwordFile);
        Files.createFile(passwordFile, ownerOnly);
        Files.writeString(passwordFile, new String(password));
        Files.deleteIfExists(keyStoreFile);
        Files.createFile(keyStoreFile, ownerOnly);
        try (OutputStream output = Files.newOutputStream(keyStoreFile)) {
            keyStore.store(output, password);
        }
        Files.writeString(directory.resolve("serving.crt"), pem(certificate));
        return new ServingCertificate(keyStore, password, pem(certificate), Optional.empty());
    }

    public KeyStore keyStore() {
        return keyStore;
    }

    public String keyStorePassword() {
        return new String(password);
    }

    public String certificatePem() {
        return certificatePem;
    }

    /** An SSL context that trusts exactly the given PEM certificate(s). */
    public static SSLContext trusting(String pemCertificates) {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            int index = 0;
            for (var certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pemCertificates.getBytes(StandardCharsets.US_ASCII)))) {
                trusted.setCertificateEntry("trusted-" + index++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException failed) {
            throw new IllegalStateException("cannot build a trust store from the certificate: " + failed.getMessage(), failed);
        }
    }

    public static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }

    private static String pem(X509Certificate certificate) throws IOException {
        var text = new StringWriter();
        try (var writer = new JcaPEMWriter(text)) {
            writer.writeObject(certificate);
        }
        return text.toString();
    }

    private static boolean isAddress(String host) {
        if (!host.matches("^[0-9.]+$") && !host.contains(":")) {
            return false;
        }
        try {
            InetAddress.getByName(host);
            return true;
        } catch (UnknownHostException notAnAddress) {
            return false;
        }
    }
}
