package dev.fakehomeserver.internal.cli;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * {@code --tls}: a self-signed certificate made at start, kept in memory only, for the standalone jar's HTTPS
 * listener. An EC P-256 key signed with SHA-256, valid from an hour ago for a year, for {@code localhost},
 * {@code 127.0.0.1}, {@code ::1}, the bind address and the server name, so a client that checks host names
 * accepts it once it trusts the certificate (or pins its fingerprint, which the banner prints).
 *
 * <p>BouncyCastle builds the certificate (the JDK's own builder, {@code sun.security.x509}, is not public API);
 * the key, the signature and the TLS stack are the JDK's. Only this class names BouncyCastle, and only
 * {@code --tls} loads it, so the library's users never need it (it is an optional dependency of the harness,
 * shaded into the standalone jar).
 */
final class SelfSignedCertificate {
    private static final char[] NO_PASSWORD = new char[0];

    private final SSLContext context;
    private final X509Certificate certificate;

    private SelfSignedCertificate(SSLContext context, X509Certificate certificate) {
        this.context = context;
        this.certificate = certificate;
    }

    /** Makes a key pair and a certificate for these names (host names or IP literals), and the TLS context. */
    static SelfSignedCertificate create(List<String> names) {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = kpg.generateKeyPair();
            X500Name subject = new X500Name("CN=fake-homeserver");
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(365))), subject, keys.getPublic());
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans(names)));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("fake-homeserver", keys.getPrivate(), NO_PASSWORD, new Certificate[] {cert});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, NO_PASSWORD);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return new SelfSignedCertificate(ctx, cert);
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot make a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static GeneralName[] sans(List<String> names) {
        Set<String> all = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        all.addAll(names);
        List<GeneralName> out = new ArrayList<>();
        for (String n : all) {
            String h = n.startsWith("[") && n.endsWith("]") ? n.substring(1, n.length() - 1) : n;
            if (h.isEmpty() || h.equals("0.0.0.0") || h.equals("::")) {
                continue;
            }
            boolean ip = h.contains(":") || h.matches("[0-9.]+");
            out.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, h));
        }
        return out.toArray(new GeneralName[0]);
    }

    SSLContext context() {
        return context;
    }

    X509Certificate certificate() {
        return certificate;
    }

    /** {@code AB:CD:...}: SHA-256 of the certificate's DER, as {@code openssl x509 -fingerprint -sha256} prints. */
    String sha256Fingerprint() {
        return fingerprint(certificate);
    }

    static String fingerprint(X509Certificate cert) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
