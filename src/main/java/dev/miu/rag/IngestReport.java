package dev.miu.rag;

import java.util.List;

/**
 * What {@code miu rag ingest} did.
 *
 * @param files   files read (text, Markdown, source, PDF)
 * @param stored  how the collection changed: added, updated, unchanged documents and chunks embedded
 * @param skipped files not ingested, each with the reason
 */
public record IngestReport(int files, StoreResult stored, List<Skipped> skipped) {

    public record Skipped(String path, String reason) {}

    public IngestReport {
        skipped = List.copyOf(skipped);
    }
}
