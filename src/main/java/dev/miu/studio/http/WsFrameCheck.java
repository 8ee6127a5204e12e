package dev.miu.studio.http;

/**
 * Reads a WebSocket client's bytes alongside Helidon and stops what Helidon 4.5.0 lets through or mishandles: text
 * that is not UTF-8 (Helidon replaces the bad bytes and passes the text on; RFC 6455 closes with 1007), and unknown
 * opcodes or reserved bits (Helidon fails the connection with an HTTP error response written into the WebSocket
 * stream; RFC 6455 closes with 1002). A streaming parser: frames and UTF-8 sequences may be split across reads.
 */
final class WsFrameCheck {

    /** A frame the connection must be closed for, with the close code to send. */
    static final class Violation extends RuntimeException {
        private final int code;

        Violation(int code, String reason) {
            super(reason, null, false, false);
            this.code = code;
        }

        int code() {
            return code;
        }
    }

    static final int PROTOCOL_ERROR = 1002;
    static final int INVALID_PAYLOAD = 1007;

    private final byte[] header = new byte[14];
    private int headerRead;
    private int headerLength = 2;
    private long payloadLeft;
    private final byte[] mask = new byte[4];
    private long payloadPos;
    private boolean inPayload;
    private boolean fin;
    private int opcode;
    /** Whether the data message in progress is text (its frames' payloads are checked as one UTF-8 text). */
    private boolean textMessage;
    // UTF-8 validator state: continuation bytes still needed, and the range the next one must be in
    private int need;
    private int lo = 0x80;
    private int hi = 0xBF;

    /** Checks the next bytes the client sent. */
    void check(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            if (!inPayload) {
                header[headerRead++] = bytes[i++];
                if (headerRead == 2) {
                    int len7 = header[1] & 0x7F;
                    headerLength = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((header[1] & 0x80) != 0 ? 4 : 0);
                }
                if (headerRead >= 2 && headerRead == headerLength) {
                    startPayload();
                }
                continue;
            }
            int n = (int) Math.min(payloadLeft, bytes.length - i);
            if (textMessage && opcode < 8) {
                for (int k = 0; k < n; k++) {
                    utf8((bytes[i + k] ^ mask[(int) ((payloadPos + k) & 3)]) & 0xFF);
                }
            }
            i += n;
            payloadPos += n;
            payloadLeft -= n;
            if (payloadLeft == 0) {
                endFrame();
            }
        }
    }

    private void startPayload() {
        fin = (header[0] & 0x80) != 0;
        opcode = header[0] & 0x0F;
        if ((header[0] & 0x70) != 0) {
            throw new Violation(PROTOCOL_ERROR, "Reserved bits set without a negotiated extension");
        }
        switch (opcode) {
            case 0 -> {}
            case 1 -> {
                textMessage = true;
                need = 0;
            }
            case 2 -> textMessage = false;
            case 8, 9, 10 -> {
                if (!fin || (header[1] & 0x7F) > 125) {
                    throw new Violation(PROTOCOL_ERROR, "A control frame must be whole and at most 125 bytes");
                }
            }
            default -> throw new Violation(PROTOCOL_ERROR, "Unknown opcode " + opcode);
        }
        int len7 = header[1] & 0x7F;
        int at = 2;
        if (len7 == 126) {
            payloadLeft = (long) ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
            at = 4;
        } else if (len7 == 127) {
            long len = 0;
            for (int k = 0; k < 8; k++) {
                len = (len << 8) | (header[2 + k] & 0xFF);
            }
            payloadLeft = len;
            at = 10;
        } else {
            payloadLeft = len7;
        }
        if ((header[1] & 0x80) != 0) {
            System.arraycopy(header, at, mask, 0, 4);
        } else {
            java.util.Arrays.fill(mask, (byte) 0);
        }
        payloadPos = 0;
        headerRead = 0;
        headerLength = 2;
        inPayload = true;
        if (payloadLeft == 0) {
            endFrame();
        }
    }

    private void endFrame() {
        inPayload = false;
        if (opcode < 8 && fin) {
            if (textMessage && need != 0) {
                throw new Violation(INVALID_PAYLOAD, "Text message is not valid UTF-8");
            }
            textMessage = false;
        }
    }

    private void utf8(int b) {
        if (need == 0) {
            if (b < 0x80) {
                return;
            }
            if (b >= 0xC2 && b <= 0xDF) {
                start(1, 0x80, 0xBF);
            } else if (b == 0xE0) {
                start(2, 0xA0, 0xBF);
            } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
                start(2, 0x80, 0xBF);
            } else if (b == 0xED) {
                start(2, 0x80, 0x9F); // no surrogates
            } else if (b == 0xF0) {
                start(3, 0x90, 0xBF);
            } else if (b >= 0xF1 && b <= 0xF3) {
                start(3, 0x80, 0xBF);
            } else if (b == 0xF4) {
                start(3, 0x80, 0x8F); // nothing above U+10FFFF
            } else {
                throw new Violation(INVALID_PAYLOAD, "Text message is not valid UTF-8");
            }
            return;
        }
        if (b < lo || b > hi) {
            throw new Violation(INVALID_PAYLOAD, "Text message is not valid UTF-8");
        }
        need--;
        lo = 0x80;
        hi = 0xBF;
    }

    private void start(int continuation, int low, int high) {
        need = continuation;
        lo = low;
        hi = high;
    }
}
