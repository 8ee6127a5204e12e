package dev.miu.rag;

import dev.miu.core.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The BERT uncased WordPiece tokenizer, as HuggingFace's {@code tokenizer.json} describes it for MiniLM: clean and
 * lower-case the text, strip accents, split on whitespace and punctuation (each CJK character alone), then split
 * each word greedily into the longest vocabulary pieces ({@code ##} marks a continuation). Written here so the
 * embedder needs only ONNX Runtime, not a native tokenizer library.
 */
final class WordPieceTokenizer {

    static final String UNK = "[UNK]";
    private static final int MAX_WORD_CHARS = 100;

    private final Map<String, Integer> vocab;
    private final int unkId;
    final int clsId;
    final int sepId;

    private WordPieceTokenizer(Map<String, Integer> vocab) {
        this.vocab = vocab;
        this.unkId = require(vocab, UNK);
        this.clsId = require(vocab, "[CLS]");
        this.sepId = require(vocab, "[SEP]");
    }

    /** Reads the vocabulary from a HuggingFace {@code tokenizer.json} of a WordPiece model. */
    static WordPieceTokenizer fromTokenizerJson(String json) {
        JsonObject model = Json.parseObject(json).getJsonObject("model");
        if (model == null || !"WordPiece".equals(model.getString("type", null))) {
            throw new RagException("tokenizer.json does not describe a WordPiece model");
        }
        JsonObject vocabJson = model.getJsonObject("vocab");
        Map<String, Integer> vocab = new HashMap<>(vocabJson.size() * 2);
        vocabJson.forEach((token, id) -> vocab.put(token, ((JsonNumber) id).intValue()));
        return new WordPieceTokenizer(vocab);
    }

    private static int require(Map<String, Integer> vocab, String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new RagException("tokenizer vocabulary has no " + token);
        }
        return id;
    }

    /** The word-piece ids of {@code text}, without [CLS]/[SEP]. */
    List<Integer> encode(String text) {
        List<Integer> ids = new ArrayList<>();
        for (String word : basicTokens(text)) {
            wordPieces(word, ids);
        }
        return ids;
    }

    /** Lower-cases, strips accents and control characters, and splits into words and single punctuation marks. */
    static List<String> basicTokens(String text) {
        String lower = Normalizer.normalize(text.toLowerCase(java.util.Locale.ROOT), Normalizer.Form.NFD);
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < lower.length(); ) {
            int cp = lower.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == 0
                    || cp == 0xFFFD
                    || Character.getType(cp) == Character.NON_SPACING_MARK
                    || (Character.isISOControl(cp) && !Character.isWhitespace(cp))) {
                continue;
            }
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                flush(word, words);
            } else if (isPunctuation(cp) || isCjk(cp)) {
                flush(word, words);
                words.add(new String(Character.toChars(cp)));
            } else {
                word.appendCodePoint(cp);
            }
        }
        flush(word, words);
        return words;
    }

    private static void flush(StringBuilder word, List<String> words) {
        if (!word.isEmpty()) {
            words.add(word.toString());
            word.setLength(0);
        }
    }

    private void wordPieces(String word, List<Integer> out) {
        if (word.codePointCount(0, word.length()) > MAX_WORD_CHARS) {
            out.add(unkId);
            return;
        }
        List<Integer> pieces = new ArrayList<>();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            Integer found = null;
            while (start < end) {
                String piece = (start > 0 ? "##" : "") + word.substring(start, end);
                found = vocab.get(piece);
                if (found != null) {
                    break;
                }
                end = word.offsetByCodePoints(end, -1);
            }
            if (found == null) {
                out.add(unkId); // as BERT does: a word with any unknown piece is one [UNK]
                return;
            }
            pieces.add(found);
            start = end;
        }
        out.addAll(pieces);
    }

    private static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.CONNECTOR_PUNCTUATION
                || type == Character.DASH_PUNCTUATION
                || type == Character.START_PUNCTUATION
                || type == Character.END_PUNCTUATION
                || type == Character.INITIAL_QUOTE_PUNCTUATION
                || type == Character.FINAL_QUOTE_PUNCTUATION
                || type == Character.OTHER_PUNCTUATION;
    }

    private static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
