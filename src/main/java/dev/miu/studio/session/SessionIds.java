package dev.miu.studio.session;

import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;

/**
 * Session ids are canonical UUIDs and nothing else, checked before an id goes anywhere near a file name
 * ({@code ..}, {@code etc-passwd}, 36 {@code a}s and a UUID with a {@code g} are all refused).
 */
public final class SessionIds {

    private SessionIds() {}

    /**
     * Whether {@code id} has the canonical UUID form: 8-4-4-4-12 hexadecimal digits (either case). Checked by hand,
     * not by a regular expression: every request and every store access asks.
     */
    public static boolean isValid(String id) {
        if (id == null || id.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = id.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-' : HexFormat.isHexDigit(c);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The id in lower case, or {@code null} if it is not a UUID. */
    public static String normalize(String id) {
        return isValid(id) ? id.toLowerCase(Locale.ROOT) : null;
    }

    public static String newId() {
        return UUID.randomUUID().toString();
    }
}
