package dev.fakehomeserver.testing;

import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * An HTTPS client that trusts exactly one certificate, the one whose SHA-256 fingerprint it pins (as the
 * standalone banner prints it after {@code TLS:}), as a careful client of a self-signed server does. Host names
 * are still checked by the JDK, so the certificate must name the host too.
 */
public final class PinnedHttps {
    /** The banner's TLS line: the https url and the fingerprint. */
    public static final Pattern TLS_LINE = Pattern.compile("TLS: (https://\\S+) .*SHA-256 fingerprint ([0-9A-F:]{95})");

    private PinnedHttps() {}

    /** The url and fingerprint of the banner's TLS line, or null when it has none. */
    public static String[] fromBanner(String banner) {
        Matcher m = TLS_LINE.matcher(banner);
        return m.find() ? new String[] {m.group(1), m.group(2)} : null;
    }

    public static String fingerprint(X509Certificate cert) {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static HttpClient client(String pin) {
        X509TrustManager tm = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("no client certificates here");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                String got = fingerprint(chain[0]);
                if (!got.equals(pin)) {
                    throw new CertificateException("pinned " + pin + ", the server showed " + got);
                }
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {tm}, null);
            return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
