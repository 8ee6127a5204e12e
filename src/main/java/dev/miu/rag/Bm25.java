package dev.miu.rag;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The keyword side of search: Lucene's standard analyzer with English stop words, and a BM25 OR-query of the terms. */
final class Bm25 {

    /** Lucene's classic English stop words: such words would otherwise make any passage look relevant. */
    private static final CharArraySet STOP_WORDS = new CharArraySet(
            List.of(
                    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no",
                    "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this",
                    "to", "was", "will", "with", "what", "how", "do", "does", "i", "you", "we", "can", "which", "who",
                    "my", "me"),
            true);

    /** Keeps a pasted essay from becoming a thousand-clause query. */
    private static final int MAX_TERMS = 256;

    private Bm25() {}

    static Analyzer analyzer() {
        return new StandardAnalyzer(STOP_WORDS);
    }

    /** A query matching any analysed term of {@code text} (scored by BM25), restricted by {@code filter} if given. */
    static Query query(Analyzer analyzer, String field, String text, Query filter) {
        Set<String> terms = new LinkedHashSet<>();
        try (TokenStream ts = analyzer.tokenStream(field, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                terms.add(term.toString());
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (terms.isEmpty()) {
            return null;
        }
        var b = new BooleanQuery.Builder();
        var any = new BooleanQuery.Builder();
        terms.stream()
                .limit(MAX_TERMS)
                .forEach(t -> any.add(new TermQuery(new Term(field, t)), BooleanClause.Occur.SHOULD));
        b.add(any.build(), BooleanClause.Occur.MUST);
        if (filter != null) {
            b.add(filter, BooleanClause.Occur.FILTER);
        }
        return b.build();
    }
}
