package dev.miu.studio.openai;

import dev.miu.core.json.Json;
import dev.miu.core.provider.ProviderException;
import dev.miu.studio.StudioException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * An error as OpenAI answers it: {@code {"error": {"message", "type", "param", "code"}}} with its HTTP status. The
 * {@code type} follows from the status, as in OpenAI's API; {@code code} (or null) names the case a client may test
 * for ({@code model_not_found}, {@code invalid_api_key}, {@code rate_limit_exceeded}).
 */
record OpenAiError(int status, String message, String code) {

    /** Thrown by the adapter; answered as {@link #toJson()} with its status. */
    static final class Failure extends RuntimeException {
        private final transient OpenAiError error;

        Failure(OpenAiError error) {
            super(error.message());
            this.error = error;
        }

        OpenAiError error() {
            return error;
        }
    }

    static Failure badRequest(String message) {
        return new Failure(new OpenAiError(400, message, null));
    }

    /** A refusal of miu's own ({@code detail}), in OpenAI's shape; a provider's rate limit stays a 429. */
    static OpenAiError of(StudioException e) {
        if (e.getCause() instanceof ProviderException p && p.status() == 429) {
            return new OpenAiError(429, e.detail(), "rate_limit_exceeded");
        }
        return new OpenAiError(e.status(), e.detail(), null);
    }

    String type() {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404, 400, 409, 413, 415, 422 -> "invalid_request_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    JsonObject toJson() {
        return Json.object()
                .add(
                        "error",
                        Json.object()
                                .add("message", message)
                                .add("type", type())
                                .add("param", JsonValue.NULL)
                                .add("code", code == null ? JsonValue.NULL : Json.string(code)))
                .build();
    }
}
