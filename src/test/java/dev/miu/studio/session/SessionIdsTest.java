package dev.miu.studio.session;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Only canonical UUIDs are session ids: nothing that could name another file gets through. */
class SessionIdsTest {

    @Test
    void canonicalUuidsInEitherCaseAreValidAndNormalizedToLowerCase() {
        for (int i = 0; i < 1000; i++) {
            String id = UUID.randomUUID().toString();
            assertTrue(SessionIds.isValid(id), id);
            assertEquals(id, SessionIds.normalize(id.toUpperCase(java.util.Locale.ROOT)));
        }
        assertTrue(SessionIds.isValid(SessionIds.newId()));
        assertTrue(SessionIds.isValid("00000000-0000-0000-0000-000000000000"));
        assertTrue(SessionIds.isValid("FFFFFFFF-ffff-AbCd-9999-aaaaaaaaaaaa"));
    }

    @Test
    void everythingElseIsRefused() {
        String[] bad = {
            null,
            "",
            "..",
            "../../etc/passwd",
            "a".repeat(36),
            "12345678-1234-1234-1234-12345678901g",
            "12345678-1234-1234-1234-1234567890123",
            "12345678-1234-1234-1234-12345678901",
            "12345678_1234-1234-1234-123456789012",
            "123456781-234-1234-1234-123456789012",
            "12345678-1234-1234-1234-12345678901/",
            "12345678-1234-1234-1234-12345678901\u0000",
            "１２345678-1234-1234-1234-123456789012",
            "{2345678-1234-1234-1234-123456789012",
            "12345678-1234-1234-1234-123456789012 ",
            " 2345678-1234-1234-1234-123456789012",
            "12345678-1234-1234-1234-12345678901G",
            "12345678-1234-1234-1234-12345678901:"
        };
        for (String id : bad) {
            assertFalse(SessionIds.isValid(id), String.valueOf(id));
            assertNull(SessionIds.normalize(id));
        }
    }
}
