package dev.miu.rag;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits text into overlapping chunks of at most {@code maxChars} characters that keep paragraphs whole when they
 * fit. Paragraphs (separated by blank lines) are packed together until the next would overflow; a paragraph too
 * long for one chunk is split at sentence ends, and a sentence too long at spaces. Each chunk after the first
 * starts with the last {@code overlapChars} or so of the one before, so a fact on a boundary appears whole in one.
 */
public final class Chunker {

    public static final int DEFAULT_MAX_CHARS = 1000;
    public static final int DEFAULT_OVERLAP_CHARS = 150;

    private static final Pattern PARAGRAPHS = Pattern.compile("\\n[ \\t]*\\n\\s*");
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?;:])\\s+");

    /** A piece to pack: a paragraph or part of one; {@code paragraphStart} says how to join it to what precedes. */
    private record Unit(String text, boolean paragraphStart) {}

    private final int maxChars;
    private final int overlapChars;

    public Chunker(int maxChars, int overlapChars) {
        if (maxChars < 50) {
            throw new RagException("Chunk size must be at least 50 characters, got " + maxChars);
        }
        if (overlapChars < 0 || overlapChars > maxChars / 2) {
            throw new RagException("Chunk overlap must be between 0 and half the chunk size (" + maxChars / 2
                    + "), got " + overlapChars);
        }
        this.maxChars = maxChars;
        this.overlapChars = overlapChars;
    }

    public Chunker() {
        this(DEFAULT_MAX_CHARS, DEFAULT_OVERLAP_CHARS);
    }

    public int maxChars() {
        return maxChars;
    }

    public int overlapChars() {
        return overlapChars;
    }

    public List<Chunk> split(String text) {
        List<Unit> units = units(text.replace("\r\n", "\n").replace('\r', '\n'));
        List<Chunk> chunks = new ArrayList<>();
        List<Unit> current = new ArrayList<>();
        int length = 0;
        for (Unit unit : units) {
            int added = (current.isEmpty() ? 0 : 2) + unit.text().length();
            if (!current.isEmpty() && length + added > maxChars) {
                chunks.add(new Chunk(chunks.size(), join(current)));
                current = overlap(current, unit.text().length());
                length = current.isEmpty() ? 0 : join(current).length();
                added = (current.isEmpty() ? 0 : 2) + unit.text().length();
            }
            current.add(unit);
            length += added;
        }
        if (!current.isEmpty()) {
            chunks.add(new Chunk(chunks.size(), join(current)));
        }
        return chunks;
    }

    /** The tail of a finished chunk to repeat at the start of the next, leaving room for {@code nextLength}. */
    private List<Unit> overlap(List<Unit> previous, int nextLength) {
        int budget = Math.min(overlapChars, maxChars - nextLength - 2);
        List<Unit> tail = new ArrayList<>();
        int used = 0;
        for (int i = previous.size() - 1; i >= 0 && budget > 0; i--) {
            Unit u = previous.get(i);
            if (used + u.text().length() + (tail.isEmpty() ? 0 : 2) <= budget) {
                tail.addFirst(u);
                used += u.text().length() + (tail.size() > 1 ? 2 : 0);
            } else {
                if (tail.isEmpty()) {
                    String cut = tailAtWord(u.text(), budget);
                    if (!cut.isEmpty()) {
                        tail.addFirst(new Unit(cut, true));
                    }
                }
                break;
            }
        }
        return tail;
    }

    /** The last at most {@code budget} characters of {@code text}, starting at a word. */
    private static String tailAtWord(String text, int budget) {
        if (budget <= 0) {
            return "";
        }
        int from = text.length() - budget;
        int space = text.indexOf(' ', Math.max(0, from));
        return space < 0 ? "" : text.substring(space + 1).strip();
    }

    private static String join(List<Unit> units) {
        var sb = new StringBuilder();
        for (Unit u : units) {
            if (!sb.isEmpty()) {
                sb.append(u.paragraphStart() ? "\n\n" : " ");
            }
            sb.append(u.text());
        }
        return sb.toString();
    }

    /** Paragraphs, with the ones too long for a chunk broken at sentences, then at spaces. */
    private List<Unit> units(String text) {
        List<Unit> units = new ArrayList<>();
        for (String paragraph : PARAGRAPHS.split(text)) {
            String p = paragraph.strip();
            if (p.isEmpty()) {
                continue;
            }
            if (p.length() <= maxChars) {
                units.add(new Unit(p, true));
                continue;
            }
            boolean first = true;
            for (String sentence : SENTENCE_END.split(p)) {
                for (String piece : hardSplit(sentence.strip())) {
                    units.add(new Unit(piece, first));
                    first = false;
                }
            }
        }
        return units;
    }

    /** Splits a sentence longer than a chunk at the last space before the limit (or mid-word if there is none). */
    private List<String> hardSplit(String sentence) {
        List<String> pieces = new ArrayList<>();
        String rest = sentence;
        int limit = maxChars - overlapChars - 2;
        while (rest.length() > limit) {
            int cut = rest.lastIndexOf(' ', limit);
            if (cut <= 0) {
                cut = limit;
            }
            pieces.add(rest.substring(0, cut).strip());
            rest = rest.substring(cut).strip();
        }
        if (!rest.isEmpty()) {
            pieces.add(rest);
        }
        return pieces;
    }
}
