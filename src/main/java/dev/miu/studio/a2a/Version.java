package dev.miu.studio.a2a;

import java.util.Locale;

/**
 * The protocol versions served: A2A 1.0 (PascalCase methods, ProtoJSON shapes) and 0.3 (slash methods, {@code kind}
 * discriminators), chosen by the {@code A2A-Version} header as the specification says (empty means 0.3). The method
 * name tells them apart too, so a 1.0 method without the header (a hand-written curl call) is served as 1.0.
 */
enum Version {
    V1("1.0"),
    V03("0.3");

    private final String text;

    Version(String text) {
        this.text = text;
    }

    String text() {
        return text;
    }

    /**
     * The version of a request: the header's ({@code 1.0}, {@code 0.3}; a patch part is ignored), or, without one,
     * the method's.
     *
     * @throws A2aError version not supported, naming the ones that are
     */
    static Version of(String header, String method) {
        if (header == null || header.isBlank()) {
            return method.contains("/") ? V03 : V1;
        }
        String h = header.strip().toLowerCase(Locale.ROOT);
        if (h.equals("1") || h.equals("1.0") || h.startsWith("1.0.")) {
            return V1;
        }
        if (h.equals("0.3") || h.startsWith("0.3.")) {
            return V03;
        }
        throw new A2aError(
                A2aError.VERSION_NOT_SUPPORTED,
                "A2A version " + h.substring(0, Math.min(h.length(), 20)) + " is not supported; this server speaks 1.0"
                        + " and 0.3");
    }
}
