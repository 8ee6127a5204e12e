package dev.miu.rag;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkerTest {

    @Test
    void shortTextIsOneChunk() {
        assertEquals(
                List.of(new Chunk(0, "Para one.\n\nPara two.")),
                new Chunker(200, 40).split("Para one.\r\n\r\n\r\nPara two.\n"));
        assertEquals(List.of(), new Chunker().split("  \n\n "));
    }

    @Test
    void paragraphsStayWholeAndChunksOverlap() {
        String text = IntStream.range(0, 12)
                .mapToObj(i -> "Paragraph " + i + " says something about topic " + i + ".")
                .collect(Collectors.joining("\n\n"));
        List<Chunk> chunks = new Chunker(200, 60).split(text);
        assertTrue(chunks.size() > 2);
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            assertEquals(i, c.index());
            assertTrue(c.text().length() <= 200, c.text());
            for (String paragraph : c.text().split("\n\n")) {
                assertTrue(
                        paragraph.matches("Paragraph \\d+ says something about topic \\d+\\."), "whole: " + paragraph);
            }
            if (i > 0) {
                String[] previous = chunks.get(i - 1).text().split("\n\n");
                assertTrue(c.text().startsWith(previous[previous.length - 1]), "overlap of chunk " + i);
            }
        }
        String all = chunks.stream().map(Chunk::text).collect(Collectors.joining("\n\n"));
        IntStream.range(0, 12).forEach(i -> assertTrue(all.contains("topic " + i + ".")));
    }

    @Test
    void longParagraphsSplitAtSentencesThenSpaces() {
        String sentences = IntStream.range(0, 30)
                .mapToObj(i -> "Sentence number " + i + " is here.")
                .collect(Collectors.joining(" "));
        List<Chunk> chunks = new Chunker(120, 30).split(sentences);
        assertTrue(chunks.size() > 5);
        chunks.forEach(c -> assertTrue(c.text().length() <= 120, c.text()));
        assertTrue(chunks.get(1).text().contains("Sentence number"));

        String oneHugeWordRun = "word ".repeat(200).strip();
        new Chunker(100, 20)
                .split(oneHugeWordRun)
                .forEach(c -> assertTrue(c.text().length() <= 100));
        String noSpaces = "x".repeat(500);
        List<Chunk> pieces = new Chunker(100, 20).split(noSpaces);
        pieces.forEach(c -> assertTrue(c.text().length() <= 100));
        assertTrue(pieces.stream()
                        .mapToInt(c -> c.text().replace(" ", "").length())
                        .sum()
                >= 500);
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(RagException.class, () -> new Chunker(10, 0));
        assertThrows(RagException.class, () -> new Chunker(100, 80));
        assertThrows(RagException.class, () -> new Chunker(100, -1));
    }
}
