package dev.miu.studio.session;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Session ids are canonical UUIDs and nothing else, checked before an id goes anywhere near a file name
 * ({@code ..}, {@code etc-passwd}, 36 {@code a}s and a UUID with a {@code g} are all refused).
 */
public final class SessionIds {

    private static final Pattern UUID_FORM =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private SessionIds() {
    }

    public static boolean isValid(String id) {
        return id != null && UUID_FORM.matcher(id).matches();
    }

    /** The id in lower case, or {@code null} if it is not a UUID. */
    public static String normalize(String id) {
        return isValid(id) ? id.toLowerCase(Locale.ROOT) : null;
    }

    public static String newId() {
        return UUID.randomUUID().toString();
    }
}
